//! The console's static files, compiled into the binary: no build step, no outside host.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::error::WebError;

/// Name, content type and bytes of each file.
const FILES: [(&str, &str, &str); 3] = [
    (
        "console.css",
        "text/css; charset=utf-8",
        include_str!("../static/console.css"),
    ),
    (
        // htmx 2.0.11 (BSD Zero-Clause licence, kept next to it in static/htmx-LICENSE).
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_str!("../static/htmx.min.js"),
    ),
    (
        "htmx-LICENSE",
        "text/plain; charset=utf-8",
        include_str!("../static/htmx-LICENSE"),
    ),
];

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/{name}", web::get().to(serve));
}

async fn serve(name: web::Path<String>) -> Result<HttpResponse, WebError> {
    let (_, content_type, body) = FILES
        .iter()
        .find(|(file, _, _)| *file == name.as_str())
        .ok_or(WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *content_type))
        // The files change only with the binary; an hour spares the counter's network.
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}
