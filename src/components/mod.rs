pub mod field;
pub mod language_picker;
pub mod sync_status;
pub mod update_banner;
