//! Entry point of the portal's WebAssembly binary (built by trunk).

fn main() {
    console_error_panic_hook::set_once();
    support_portal::start();
}
