//! kubeplay in the browser: a Yew app over the simulated cluster. The
//! session, view model, linting, completion and sharing are plain Rust
//! (tested natively); `ui` and `bridge` are the browser side.

pub mod bench;
pub mod bridge;
pub mod chooser;
pub mod complete;
pub mod deflate;
pub mod i18n;
pub mod lessons;
pub mod lint;
pub mod session;
pub mod share;
pub mod state;
pub mod ui;
pub mod view;

/// Mounts the app on the page's body.
pub fn start() {
    yew::Renderer::<ui::app::App>::new().render();
}
