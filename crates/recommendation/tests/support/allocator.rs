//! The server's allocator (mimalloc), for the benches and the timing examples: the engine's
//! figures are then those of the engine as the server runs it. Included with `#[path]`.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
