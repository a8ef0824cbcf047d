//! What an operator watches, on the compiled relay: `/metrics` counts
//! connections, pushes, bytes, commits and their time, and `/healthz` says
//! the relay is alive.

mod common;

use std::collections::BTreeMap;
use std::net::SocketAddr;

use common::{addr, founding, relay_command, start, Client, BIN};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// `GET path` over plain HTTP/1.1: the status code and the body.
async fn get(relay: SocketAddr, path: &str) -> (u16, String, String) {
    let mut tcp = tokio::net::TcpStream::connect(relay).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {relay}\r\nConnection: close\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    tcp.read_to_string(&mut response).await.unwrap();
    let (head, body) = response.split_once("\r\n\r\n").expect("a header and a body");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

/// The samples of a Prometheus text exposition, by name and labels.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (name, value) = l.rsplit_once(' ').unwrap();
            (name.to_owned(), value.parse().unwrap_or_else(|_| panic!("not a number: {l}")))
        })
        .collect()
}

#[tokio::test]
async fn metrics_count_the_pushes_bytes_commits_and_connections_of_a_real_relay() {
    let data = tempfile::tempdir().unwrap();
    let relay = start(relay_command(data.path()));

    let (status, _, body) = get(relay.addr, "/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let (status, head, before) = get(relay.addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: text/plain; version=0.0.4"), "{head}");
    let before = samples(&before);
    assert_eq!(before["lotse_relay_pushes_total"], 0.0);
    assert_eq!(before["lotse_relay_connections"], 0.0);

    let mut reader = Client::connect(relay.addr).await;
    reader.subscribe(addr(1), 0).await;
    let mut writer = Client::connect(relay.addr).await;
    let sealed = vec![0xab; 300];
    for n in 1..=5 {
        writer.push(addr(1), n, &sealed).await;
        reader.recv().await;
    }
    writer.push(addr(1), 3, &sealed).await; // a repeat: acknowledged, not stored again

    // A frame is counted once written, which may be a moment after the
    // device read it: the figures settle at once, but not before the read.
    let mut after = String::new();
    for _ in 0..100 {
        after = get(relay.addr, "/metrics").await.2;
        if samples(&after)["lotse_relay_frames_sent_total"] >= 18.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let m = samples(&after);
    assert_eq!(m["lotse_relay_connections"], 2.0, "{after}");
    assert_eq!(m["lotse_relay_connections_total"], 2.0);
    // Each device hands over the network's founding: stored once, then a repeat.
    assert_eq!(m["lotse_relay_pushes_total"], 6.0);
    assert_eq!(m["lotse_relay_pushes_repeated_total"], 2.0);
    assert_eq!(m["lotse_relay_pushed_bytes_total"], 5.0 * 300.0 + founding().encode().len() as f64);
    assert_eq!(m["lotse_relay_store_errors_total"], 0.0);
    // Per device Hello, the founding and Auth; Subscribe; 6 pushes, each
    // frame carrying its 300 sealed bytes.
    assert_eq!(m["lotse_relay_frames_received_total"], 13.0);
    assert!(m["lotse_relay_received_bytes_total"] > 6.0 * 300.0);
    // Per device Welcome, the founding's Ack and Authenticated; CaughtUp,
    // 6 Acks, 5 live bundles.
    assert_eq!(m["lotse_relay_frames_sent_total"], 18.0);
    assert!(m["lotse_relay_sent_bytes_total"] > 5.0 * 300.0);
    let commits = m["lotse_relay_commit_seconds_count"];
    assert!((6.0..=8.0).contains(&commits), "one commit a push (a repeat may need none): {commits}");
    assert_eq!(m["lotse_relay_commit_seconds_bucket{le=\"+Inf\"}"], commits);
    assert!(m["lotse_relay_commit_seconds_sum"] > 0.0);
    assert_eq!(m["lotse_relay_fanout_queue_frames"], 0.0, "everything was written");
    assert!(m["lotse_relay_batches_total"] >= 6.0);

    drop((reader, writer));
    let mut open = 2.0;
    for _ in 0..100 {
        let (_, _, text) = get(relay.addr, "/metrics").await;
        open = samples(&text)["lotse_relay_connections"];
        if open == 0.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(open, 0.0, "closed connections are no longer counted as open");
}

#[test]
fn the_health_check_flag_says_whether_a_relay_answers() {
    let data = tempfile::tempdir().unwrap();
    let relay = start(relay_command(data.path()));
    let check = |listen: String| {
        std::process::Command::new(BIN).args(["--check-health", "--listen", &listen]).output().unwrap()
    };
    let healthy = check(relay.addr.to_string());
    assert!(healthy.status.success(), "{}", String::from_utf8_lossy(&healthy.stderr));
    // The container listens on 0.0.0.0: the check asks this machine.
    let unspecified = check(format!("0.0.0.0:{}", relay.addr.port()));
    assert!(unspecified.status.success(), "{}", String::from_utf8_lossy(&unspecified.stderr));
    let port = relay.addr.port();
    drop(relay);
    let gone = check(format!("127.0.0.1:{port}"));
    assert!(!gone.status.success(), "a stopped relay is not healthy");
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no relay answers"));
}

/// The unit and the container set only settings the binary knows, and run
/// it with a data directory, as no root, hardened.
#[test]
fn the_deploy_files_use_the_relays_own_settings() {
    let help = String::from_utf8(std::process::Command::new(BIN).arg("--help").output().unwrap().stdout).unwrap();
    let deploy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy");
    let unit = std::fs::read_to_string(deploy.join("lotse-relay.service")).unwrap();
    let container = std::fs::read_to_string(deploy.join("Containerfile")).unwrap();
    for (name, text) in [("lotse-relay.service", &unit), ("Containerfile", &container)] {
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if word.starts_with("LOTSE_") {
                assert!(help.contains(word), "{name} sets {word}, which `lotse-relay --help` does not name");
            }
        }
        assert!(text.contains("LOTSE_DATA_DIR"), "{name} names the data directory");
    }
    for line in [
        "DynamicUser=yes",
        "StateDirectory=lotse",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "CapabilityBoundingSet=",
    ] {
        assert!(unit.lines().any(|l| l == line), "the unit has {line}");
    }
    for line in ["USER 10001:10001", "VOLUME [\"/data\"]"] {
        assert!(container.lines().any(|l| l == line), "the container file has {line}");
    }
}
