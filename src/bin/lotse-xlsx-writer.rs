//! The XLSX worker (see `lotse::xlsx`), started by the report page only
//! when a coordinator downloads a workbook.

fn main() {
    lotse::xlsx::worker::start();
}
