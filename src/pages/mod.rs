pub mod contact_form;
pub mod contacts;
pub mod device;
pub mod join;
pub mod setup;
