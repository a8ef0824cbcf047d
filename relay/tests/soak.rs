//! A short soak (`cargo xtask soak` runs long ones): devices syncing through
//! the compiled relay while it is killed with SIGKILL and restarted on the
//! same SQLite file, their connections cut; every acknowledged bundle must
//! be in the relay's store and on every device, in order. And the soak's
//! check must fail when the relay does lose what it acknowledged.

mod common;

use std::time::Duration;

use lotse_relay_load::soak::{self, Finding, Settings, Span};

fn settings(seconds: u64, seed: u64) -> Settings {
    let data = std::env::temp_dir();
    let mut settings = Settings::new(common::BIN.into(), data, Duration::from_secs(seconds), seed);
    settings.devices = 10;
    settings.kill_every = Span::secs(1.5, 2.5);
    settings.cut_every = Span::secs(0.5, 2.0);
    settings.settle = Duration::from_secs(30);
    settings
}

#[test]
fn every_acknowledged_bundle_survives_a_relay_killed_twice_and_cut_connections() {
    let summary = soak::run(&settings(8, 0x50a6)).unwrap();
    println!("{summary}");
    assert!(summary.held(), "{summary}");
    assert!(summary.settled, "{summary}");
    assert!(summary.kills >= 3, "killed at least twice while syncing, then once more: {summary}");
    assert!(summary.cuts > 0 && summary.reconnects > summary.kills, "{summary}");
    assert!(summary.acked > 50, "{summary}");
    assert_eq!(summary.stored, summary.acked, "each device's bundles, nothing else: {summary}");
}

#[test]
fn a_relay_that_comes_back_without_its_store_is_reported_as_losing_what_it_acknowledged() {
    let mut settings = settings(2, 0x1055);
    settings.kill_every = Span::secs(60.0, 60.0);
    settings.lose_store_at_end = true;
    settings.settle = Duration::from_secs(10);
    let summary = soak::run(&settings).unwrap();
    println!("{summary}");
    assert!(!summary.held(), "{summary}");
    assert!(summary.findings.iter().any(|f| matches!(f, Finding::Lost { .. })), "{summary}");
    let said = summary.to_string();
    assert!(said.contains("verdict: LOST") && said.contains("is not in the relay's store"), "{said}");
    if let Some(kept) = &summary.kept {
        std::fs::remove_dir_all(kept).unwrap();
    }
}
