//! The worked examples in `docs/protocol.md` are what the code sends, byte
//! for byte.

use lotse_sync::envelope::{CommunityKey, Kind};
use lotse_sync::wire::{
    Ack, Bundle, ClientFrame, ErrorCode, ErrorReply, Hello, RelayFrame, Subscribe, Welcome, PROTOCOL_VERSION,
};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, KeyId, Seq};

const PROTOCOL_MD: &str = include_str!("../../../docs/protocol.md");

/// The bytes of every fenced block in the document: on each line, the hex
/// pairs before the first word that is not one.
fn example_blocks() -> Vec<Vec<u8>> {
    PROTOCOL_MD
        .split("```")
        .skip(1)
        .step_by(2)
        .map(|block| {
            block
                .lines()
                .flat_map(|line| {
                    line.split_whitespace()
                        .map_while(|word| (word.len() == 2).then(|| u8::from_str_radix(word, 16).ok()).flatten())
                })
                .collect::<Vec<u8>>()
        })
        .filter(|bytes| !bytes.is_empty())
        .collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" ")
}

fn addr() -> DocAddr {
    DocAddr { doc: DocumentId([1; 16]), epoch: Epoch(2) }
}

#[test]
fn the_worked_examples_in_protocol_md_are_the_bytes_the_code_sends() {
    let blocks = example_blocks();
    let examples = [
        ClientFrame::Subscribe(Subscribe { addr: addr(), since: Seq(300), snapshot: true }).encode(),
        ClientFrame::Subscribe(Subscribe { addr: addr(), since: Seq(300), snapshot: false }).encode(),
        RelayFrame::Bundle(Bundle {
            addr: addr(),
            seq: Seq(300),
            bundle_id: BundleId([3; 16]),
            key_id: KeyId(7),
            sealed: vec![0xaa, 0xbb, 0xcc],
        })
        .encode(),
        RelayFrame::Ack(Ack { addr: addr(), bundle_id: BundleId([3; 16]), seq: Seq(300) }).encode(),
        RelayFrame::Error(ErrorReply {
            code: ErrorCode::CursorAhead,
            addr: Some(addr()),
            bundle_id: None,
            message: "past the end".into(),
        })
        .encode(),
    ];
    for bytes in examples {
        assert!(blocks.contains(&bytes), "docs/protocol.md lacks the example {}", hex(&bytes));
    }
    let welcome = RelayFrame::Welcome(Welcome { version: 2, max_frame: 8 * 1024 * 1024 }).encode();
    assert!(PROTOCOL_MD.contains(&format!("`{}`", hex(&welcome))), "{}", hex(&welcome));
    let hello = ClientFrame::Hello(Hello { version: 2 }).encode();
    assert!(PROTOCOL_MD.contains(&format!("`{}`", hex(&hello))), "{}", hex(&hello));
}

#[test]
fn protocol_md_names_the_version_the_code_speaks() {
    assert_eq!(PROTOCOL_VERSION, 2);
    assert!(PROTOCOL_MD.starts_with("# The Lotse sync protocol, version 2\n"));
}

#[test]
fn the_associated_data_in_protocol_md_is_what_the_envelope_binds() {
    let blocks = example_blocks();
    let key = CommunityKey::from_bytes(KeyId(7), [0; 32]);
    let bundle = key.aad(addr(), Kind::Bundle(BundleId([3; 16])));
    let snapshot = key.aad(addr(), Kind::Snapshot(Seq(300)));
    assert_eq!((bundle.len(), snapshot.len()), (48, 40), "the sizes the text gives");
    for bytes in [bundle, snapshot] {
        assert!(blocks.contains(&bytes), "docs/protocol.md lacks the associated data {}", hex(&bytes));
    }
}

#[test]
fn protocol_md_lists_every_error_code_at_its_index() {
    let codes = [
        ErrorCode::Malformed,
        ErrorCode::UnknownType,
        ErrorCode::TooLarge,
        ErrorCode::VersionMismatch,
        ErrorCode::CursorAhead,
        ErrorCode::StoreFailed,
    ];
    for code in codes {
        let frame = RelayFrame::Error(ErrorReply { code, addr: None, bundle_id: None, message: String::new() });
        let index = frame.encode()[1];
        let row = format!("| {index} | `{code:?}` |");
        assert!(PROTOCOL_MD.contains(&row), "docs/protocol.md lacks the row {row}");
    }
}
