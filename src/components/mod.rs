pub mod contact_picker;
pub mod field;
pub mod form;
pub mod history;
pub mod language_picker;
pub mod record_form;
pub mod sync_status;
pub mod update_banner;
