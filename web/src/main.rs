fn main() {
    kubeplay_web::start();
}
