//! Load-test baseline, not part of PharmaRec: the plainest actix-web + diesel service reading one
//! medicine (its row and its ingredient rows) by id from the same SQLite database, through an r2d2 pool
//! and `web::block`. `scripts/load.sh` compares PharmaRec's `GET /api/v1/medicines/{id}` with it.
//!
//! Usage: `bare_read sqlite:///path/to/pharmarec.db 127.0.0.1:18081`

use actix_web::{App, HttpResponse, HttpServer, web};
use diesel::SqliteConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::sql_types::{Integer, Nullable, Text};

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

#[derive(Debug, QueryableByName, serde::Serialize)]
struct MedicineRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    brand_name: String,
    #[diesel(sql_type = Text)]
    strength: String,
    #[diesel(sql_type = Text)]
    dose_form: String,
    #[diesel(sql_type = Text)]
    route: String,
    #[diesel(sql_type = Text)]
    status: String,
}

#[derive(Debug, QueryableByName, serde::Serialize)]
struct IngredientRow {
    #[diesel(sql_type = Integer)]
    position: i32,
    #[diesel(sql_type = Text)]
    ingredient: String,
    #[diesel(sql_type = Nullable<Text>)]
    strength: Option<String>,
}

async fn medicine(pool: web::Data<SqlitePool>, id: web::Path<String>) -> HttpResponse {
    let pool = pool.into_inner();
    let found = web::block(
        move || -> Result<_, Box<dyn std::error::Error + Send + Sync>> {
            let conn = &mut pool.get()?;
            let row: MedicineRow = diesel::sql_query(
            "SELECT id, brand_name, strength, dose_form, route, status FROM medicines WHERE id = ?",
        )
        .bind::<Text, _>(id.as_str())
        .get_result(conn)?;
            let ingredients: Vec<IngredientRow> = diesel::sql_query(
                "SELECT position, ingredient_key AS ingredient, strength_label AS strength \
             FROM medicine_ingredients WHERE medicine_id = ? ORDER BY position",
            )
            .bind::<Text, _>(id.as_str())
            .load(conn)?;
            Ok((row, ingredients))
        },
    )
    .await;
    match found {
        Ok(Ok((row, ingredients))) => HttpResponse::Ok()
            .json(serde_json::json!({"medicine": row, "ingredients": ingredients})),
        _ => HttpResponse::NotFound().finish(),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| "sqlite://pharmarec.db".to_string());
    let bind = args.next().unwrap_or_else(|| "127.0.0.1:18081".to_string());
    let path = url.trim_start_matches("sqlite://").to_string();
    let pool = Pool::builder()
        .max_size(8)
        .build(ConnectionManager::<SqliteConnection>::new(path))
        .map_err(std::io::Error::other)?;
    HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(pool.clone()))
            .route("/medicines/{id}", web::get().to(medicine))
    })
    .bind(bind)?
    .run()
    .await
}
