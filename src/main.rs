fn main() {
    lotse::start();
}
