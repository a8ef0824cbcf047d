//! The worked examples in `docs/protocol.md` are what the code sends, byte
//! for byte.

use lotse_sync::envelope::{CommunityKey, Kind};
use lotse_sync::membership::{self, membership_addr, testing, DeviceKey, Role, Signed, Statement};
use lotse_sync::wire::{
    Ack, Auth, Authenticated, Bundle, CaughtUp, ClientFrame, ErrorCode, ErrorReply, Hello, Push, RelayFrame, Snapshot,
    Subscribe, Welcome, PROTOCOL_VERSION,
};
use lotse_sync::{BundleId, DocAddr, DocumentId, Epoch, Generation, KeyId, Seq};

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

/// The network of the examples, and its community document.
const NETWORK: DocumentId = DocumentId([9; 16]);
const COMMUNITY: DocumentId = DocumentId([1; 16]);
/// The log generation of the examples' `Subscribe` and `CaughtUp`.
const GENERATION: Generation = Generation([0x5a; 16]);
/// The challenge of the examples' `Welcome`.
const CHALLENGE: [u8; 32] = [0x33; 32];

/// The examples' device key: its secret is `01`, thirty `00`, `5a`, as the
/// text says.
fn device_key() -> DeviceKey {
    let key = testing::key(1);
    let mut secret = [0u8; 32];
    secret[0] = 1;
    secret[31] = 0x5a;
    assert_eq!(key.secret(), secret, "the secret the text gives");
    key
}

/// The examples' statement: the device founds the network with one
/// community document.
fn founding() -> Signed {
    testing::found(&device_key(), NETWORK, &[COMMUNITY])
}

fn assert_documented(bytes: &[u8], what: &str) {
    assert!(example_blocks().iter().any(|b| b == bytes), "docs/protocol.md lacks {what}: {}", hex(bytes));
}

#[test]
fn the_worked_examples_in_protocol_md_are_the_bytes_the_code_sends() {
    let examples = [
        ClientFrame::Subscribe(Subscribe {
            addr: addr(),
            since: Seq(300),
            snapshot: true,
            generation: GENERATION,
            at: Some(BundleId([0x3c; 16])),
        })
        .encode(),
        ClientFrame::Subscribe(Subscribe {
            addr: addr(),
            since: Seq(300),
            snapshot: false,
            generation: Generation::NONE,
            at: None,
        })
        .encode(),
        RelayFrame::Snapshot(Snapshot {
            addr: addr(),
            covers: Seq(256),
            key_id: KeyId(7),
            sealed: vec![0xaa, 0xbb, 0xcc],
            at: Some(BundleId([0x3c; 16])),
        })
        .encode(),
        RelayFrame::CaughtUp(CaughtUp { addr: addr(), head: Seq(300), snapshot: Seq(256), generation: GENERATION })
            .encode(),
        RelayFrame::Bundle(Bundle {
            addr: addr(),
            seq: Seq(300),
            bundle_id: BundleId([3; 16]),
            key_id: KeyId(7),
            sealed: vec![0xaa, 0xbb, 0xcc],
        })
        .encode(),
        RelayFrame::Ack(Ack { addr: addr(), bundle_id: BundleId([3; 16]), seq: Seq(300), generation: GENERATION })
            .encode(),
        RelayFrame::Error(ErrorReply {
            code: ErrorCode::CursorAhead,
            addr: Some(addr()),
            bundle_id: None,
            message: "past the end".into(),
        })
        .encode(),
        RelayFrame::Welcome(Welcome { version: 8, max_frame: 8 * 1024 * 1024, challenge: CHALLENGE }).encode(),
        RelayFrame::Authenticated(Authenticated { network: NETWORK, role: Role::Mentor }).encode(),
    ];
    for bytes in examples {
        assert_documented(&bytes, "the example");
    }
    let hello = ClientFrame::Hello(Hello { version: 8 }).encode();
    assert!(PROTOCOL_MD.contains(&format!("`{}`", hex(&hello))), "{}", hex(&hello));
}

#[test]
fn the_answer_to_the_challenge_in_protocol_md_is_what_a_device_signs_and_the_relay_checks() {
    let key = device_key();
    let message = membership::auth_message(&CHALLENGE, NETWORK);
    assert_eq!(message.len(), 62, "the length the text gives");
    assert_documented(&message, "the signed bytes of the answer");
    let signature = key.answer(&CHALLENGE, NETWORK);
    assert_eq!(membership::verify_auth(key.id(), &CHALLENGE, NETWORK, &signature), Ok(()));
    let auth = ClientFrame::Auth(Auth { network: NETWORK, device: key.id(), signature }).encode();
    assert_documented(&auth, "the Auth frame");
}

#[test]
fn the_statement_in_protocol_md_is_how_a_device_signs_encodes_names_and_pushes_it() {
    let signed = founding();
    let message = membership::signed_message(NETWORK, &signed.statement);
    assert_documented(&message, "the signed bytes of the statement");
    let encoded = signed.encode();
    assert_eq!(encoded.len(), 180, "the length the text gives");
    assert_eq!(Signed::decode(&encoded), Ok(signed.clone()));
    let push = ClientFrame::Push(Push {
        addr: membership_addr(NETWORK),
        bundle_id: signed.id(),
        key_id: KeyId(0),
        sealed: encoded.clone(),
    })
    .encode();
    assert_documented(&push, "the Push of the statement");
    assert_eq!(membership::statement_id(&encoded), signed.id());
    // The statement holds: it founds the network.
    let mut m = membership::Membership::new(NETWORK);
    assert_eq!(m.apply(&signed, None), Ok(membership::Applied::New));
    assert!(m.may_use(device_key().id(), COMMUNITY));
}

#[test]
fn protocol_md_numbers_statements_and_roles_as_postcard_does() {
    let key = device_key();
    let d = key.id();
    let statements = [
        Statement::Found { founder: d, docs: vec![], agreement: membership::AgreementKey([0; 32]), keys: vec![] },
        Statement::Docs { add: vec![], keys: vec![] },
        Statement::Invite { invite: d, role: Role::Mentor, docs: vec![], expires: 0 },
        Statement::Enrol { device: d, invite: d, agreement: membership::AgreementKey([0; 32]) },
        Statement::Admit { device: d, role: Role::Mentor, docs: vec![] },
        Statement::Retire { device: d },
        Statement::Keys { device: d, grants: vec![], sealed: vec![] },
        Statement::Rotate { grant: membership::Grant { addr: addr(), key: KeyId(0) }, to: vec![] },
    ];
    for (index, statement) in statements.into_iter().enumerate() {
        let first = key.sign(NETWORK, statement.clone()).encode()[0];
        assert_eq!(usize::from(first), index, "{statement:?}");
        let name = format!("{statement:?}");
        let name = name.split(' ').next().unwrap();
        let row = format!("| {index} | `{name}` |");
        assert!(PROTOCOL_MD.contains(&row), "docs/protocol.md lacks the row {row}");
    }
    for (index, role) in [Role::Coordinator, Role::Mentor].into_iter().enumerate() {
        let frame = RelayFrame::Authenticated(Authenticated { network: NETWORK, role }).encode();
        assert_eq!(usize::from(frame[17]), index);
        let row = format!("| {index} | `{role:?}` |");
        assert!(PROTOCOL_MD.contains(&row), "docs/protocol.md lacks the row {row}");
    }
}

#[test]
fn protocol_md_names_the_version_the_code_speaks() {
    assert_eq!(PROTOCOL_VERSION, 9);
    assert!(PROTOCOL_MD.starts_with("# The Lotse sync protocol, version 9\n"));
}

#[test]
fn the_associated_data_in_protocol_md_is_what_the_envelope_binds() {
    let key = CommunityKey::from_bytes(KeyId(7), [0; 32]);
    let bundle = key.aad(addr(), Kind::Bundle(BundleId([3; 16])));
    let snapshot = key.aad(addr(), Kind::Snapshot(Seq(300)));
    assert_eq!((bundle.len(), snapshot.len()), (48, 40), "the sizes the text gives");
    for bytes in [bundle, snapshot] {
        assert_documented(&bytes, "the associated data");
    }
}

#[test]
fn the_signed_bundle_in_protocol_md_is_what_a_device_signs_seals_and_checks() {
    let key = CommunityKey::from_bytes(KeyId(7), [0; 32]);
    let kind = Kind::Bundle(BundleId([3; 16]));
    let (read, body) = (Seq(5), [0xaa, 0xbb, 0xcc]);
    let message = key.signed_message(addr(), kind, read, &body);
    assert_eq!(message.len(), 16 + 48 + 8 + 3, "the length the text gives");
    assert_documented(&message, "the signed bytes of a bundle");
    // The plaintext the envelope seals: signer, read, signature, body.
    let sealed = key.seal_signed(&mut Zeroes, addr(), kind, &device_key(), read, &body);
    let plain = key.open(key.id, addr(), kind, &sealed).expect("opens");
    assert_eq!(plain.len(), 32 + 8 + 64 + 3);
    assert_documented(&plain, "the plaintext of a signed bundle");
    let opened = key.open_signed(key.id, addr(), kind, &sealed).expect("verifies");
    assert_eq!((opened.signer, opened.read, opened.body), (device_key().id(), read, body.to_vec()));
}

#[test]
fn the_rotation_in_protocol_md_is_what_a_coordinator_signs_and_each_device_it_names_opens() {
    // The examples' device retired a mentor and moves the community's
    // document from key 0 to key 1, sealed to itself (the one device left
    // here); the HPKE randomness is zeroes, so the bytes are fixed.
    let key = device_key();
    let rotated = DocAddr { doc: COMMUNITY, epoch: Epoch(0) };
    let new = CommunityKey::from_bytes(KeyId(1), [0x11; 32]);
    let to = [(key.id(), key.agreement().public())];
    let (statement, left_out) = lotse_sync::grant::seal_rotation(&mut Zeroes, NETWORK, rotated, &new, &to);
    assert!(left_out.is_empty());
    let signed = key.sign(NETWORK, statement);
    let encoded = signed.encode();
    assert_eq!(encoded.len(), 230, "the length the text gives");
    assert_documented(&encoded, "the rotation");
    let opened = lotse_sync::grant::open_rotation(&key.agreement(), NETWORK, key.id(), &signed.statement);
    assert_eq!(opened, Ok(Some((rotated, new))));
    // It holds on the founding of the examples, which named key 0.
    let mut m = membership::Membership::new(NETWORK);
    let grant = membership::Grant { addr: rotated, key: KeyId(0) };
    m.apply(&testing::found_holding(&key, NETWORK, &[COMMUNITY], &[grant]), None).unwrap();
    assert_eq!(m.apply(&signed, None), Ok(membership::Applied::New));
    assert_eq!(m.current_key(rotated), Some(KeyId(1)));
}

/// Randomness of zeroes: the example's nonce (it is not in the example).
struct Zeroes;

impl lotse_sync::Entropy for Zeroes {
    fn fill(&mut self, buf: &mut [u8]) {
        buf.fill(0);
    }
}

#[test]
fn protocol_md_lists_every_error_code_at_its_index() {
    for code in ErrorCode::ALL {
        let frame = RelayFrame::Error(ErrorReply { code, addr: None, bundle_id: None, message: String::new() });
        let index = frame.encode()[1];
        let row = format!("| {index} | `{code:?}` |");
        assert!(PROTOCOL_MD.contains(&row), "docs/protocol.md lacks the row {row}");
    }
}
