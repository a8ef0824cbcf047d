//! Closed lists a form picks from: each value has a stable code, used in
//! forms, i18n keys (`<prefix>-<code>`) and CSV columns.

/// Declares a fieldless enum with `ALL`, `code()` and `from_code()`.
#[macro_export]
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            autosurgeon::Reconcile, autosurgeon::Hydrate, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Stable name used in forms, i18n keys and exports.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}
