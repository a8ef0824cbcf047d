//! What a device lets Automerge parse: only the kinds of chunk Lotse writes.
//!
//! A bundle's or snapshot's plaintext is whole Automerge chunks, each
//! `magic (85 6f 4a 83) | checksum (4) | type (1) | length (uLEB128) | data`.
//! Devices write documents (`save`: type 0, followed by change chunks it
//! could not place) and changes (`save_after`: type 1, or 2 compressed).
//! Automerge 0.12 also parses a fourth kind, its "bundle" (type 3), whose
//! parser panics on malformed input (`hexane`'s `unpack` unwraps a
//! truncated varint; found by `cargo xtask fuzz`, target `device_opens`).
//! In the browser a panic aborts the engine worker, which would read the
//! same bundle again after its restart: one bad bundle from a key holder
//! would stop every device of the community. So a device refuses every
//! chunk type other than 0, 1 and 2 before Automerge sees the bytes.

/// Automerge's magic bytes at the start of every chunk.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// The largest chunk type a device accepts: document 0, change 1,
/// compressed change 2.
const LAST_ACCEPTED: u8 = 2;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkError {
    #[error(
        "chunk {index} (at byte {offset}) is of Automerge chunk type {chunk_type}; \
         Lotse writes only documents and changes (types 0 to 2)"
    )]
    UnexpectedType { index: usize, offset: usize, chunk_type: u8 },
}

/// An unsigned LEB128 number and how many bytes it took; `None` if it runs
/// past the input or past 64 bits.
fn uleb128(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7f).checked_shl(7 * i as u32)?;
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

/// One step of a walk over the chunk headers of some bytes.
enum Step<'a> {
    /// A header with Automerge's magic: where it starts, its type, and the
    /// whole chunk, `None` if its length makes no sense or runs past the
    /// end (the walk ends after it).
    Chunk { offset: usize, chunk_type: u8, chunk: Option<&'a [u8]> },
    /// Bytes that are no chunk header; the walk ends here.
    Garbled,
}

/// The chunk headers of `bytes`, in order, until the input ends or stops
/// making sense. Both checks below walk with it, so they read a header the
/// same way.
fn walk(bytes: &[u8]) -> impl Iterator<Item = Step<'_>> {
    let mut next = Some(0);
    std::iter::from_fn(move || {
        let offset = next.take()?;
        if offset == bytes.len() {
            return None;
        }
        let Some(header) = bytes.get(offset..offset + 9).filter(|header| header[..4] == MAGIC) else {
            return Some(Step::Garbled);
        };
        let chunk = uleb128(&bytes[offset + 9..])
            .and_then(|(len, used)| usize::try_from(len).ok()?.checked_add(offset + 9 + used))
            .and_then(|end| bytes.get(offset..end));
        next = chunk.map(|chunk| offset + chunk.len());
        Some(Step::Chunk { offset, chunk_type: header[8], chunk })
    })
}

/// Walks the chunk headers of `bytes` and refuses a chunk of a type Lotse
/// never writes. Where the headers stop making sense (no magic, a length
/// past the end) the walk ends without an error: Automerge's strict load,
/// which runs next, refuses those bytes itself.
pub fn only_documents_and_changes(bytes: &[u8]) -> Result<(), ChunkError> {
    for (index, step) in walk(bytes).enumerate() {
        if let Step::Chunk { offset, chunk_type, .. } = step {
            if chunk_type > LAST_ACCEPTED {
                return Err(ChunkError::UnexpectedType { index, offset, chunk_type });
            }
        }
    }
    Ok(())
}

/// The actor of a change in `bytes` that claims to be another device than
/// `signer`, if `bytes` is changes only (what a device pushes of its own
/// edits: `save_after`). A device's Automerge actor is its public key, so
/// an actor of 32 bytes names a device; one that is not the signer's is
/// a key holder writing as someone else, and the bundle is refused. A
/// whole document (a device handing back what a relay lost, see
/// `ClientCore`'s `owes_whole`) carries everyone's changes under its
/// signer's word; actors of another length name no device (history names
/// nobody for them). Chunks that do not parse are left to Automerge's
/// strict load.
pub fn foreign_author(bytes: &[u8], signer: &[u8; 32]) -> Option<Vec<u8>> {
    let mut foreign = None;
    for step in walk(bytes) {
        let Step::Chunk { chunk_type, chunk, .. } = step else { return None };
        // A document vouches for all; a chunk of a type Lotse never writes
        // is refused by `only_documents_and_changes` before Automerge sees
        // it (Automerge's parser of its bundle chunk panics on bad input).
        if chunk_type == 0 || chunk_type > LAST_ACCEPTED {
            return None;
        }
        let chunk = chunk?;
        if foreign.is_none() {
            if let Ok(change) = automerge::Change::try_from(chunk) {
                let actor = change.actor_id().to_bytes();
                if actor.len() == 32 && actor != signer {
                    foreign = Some(actor.to_vec());
                }
            }
        }
    }
    foreign
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    /// The input `cargo xtask fuzz` found (fuzz/corpus/device_opens/crash-a81ab18526287142):
    /// an Automerge bundle chunk whose id column ends inside a varint made
    /// Automerge 0.12 panic in `extract_id_ctr_values`.
    const CRASH: &[u8] = &[
        0x85, 0x6f, 0x4a, 0x83, 0xf3, 0xaa, 0xaa, 0xaa, 0x03, 0x26, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x23, 0x03,
        0x05, 0x63, 0x6f, 0x25, 0x5c, 0x02, 0x01, 0x7e, 0x03, 0x1f, 0x7e, 0x7f, 0x02, 0x09, 0x05, 0x01, 0x7f, 0x55,
        0x1a, 0x01, 0x7b, 0x06, 0x03, 0x7e, 0x01, 0x10, 0x0b, 0x23, 0x03, 0x7d,
    ];

    #[test]
    fn documents_and_changes_pass() {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "name", "Ayşe").unwrap();
        doc.commit();
        let heads = doc.get_heads();
        doc.put(ROOT, "notes", "x".repeat(400)).unwrap();
        doc.commit();
        let change = doc.save_after(&heads);
        let whole = doc.save();
        for bytes in [&whole, &change, &doc.save_nocompress(), &[whole.clone(), change.clone()].concat()] {
            assert_eq!(only_documents_and_changes(bytes), Ok(()));
        }
    }

    /// [`CRASH`] is refused before Automerge parses it, after a valid chunk too.
    #[test]
    fn an_automerge_bundle_chunk_is_refused_before_automerge_parses_it() {
        assert_eq!(
            only_documents_and_changes(CRASH),
            Err(ChunkError::UnexpectedType { index: 0, offset: 0, chunk_type: 3 })
        );
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "name", "Ayşe").unwrap();
        let first = doc.save();
        let behind = [first.clone(), CRASH.to_vec()].concat();
        assert_eq!(
            only_documents_and_changes(&behind),
            Err(ChunkError::UnexpectedType { index: 1, offset: first.len(), chunk_type: 3 })
        );
    }

    #[test]
    fn changes_written_as_another_device_are_named_unless_in_a_whole_document() {
        let (me, other) = ([1u8; 32], [2u8; 32]);
        let mut doc = AutoCommit::new().with_actor(automerge::ActorId::from(me));
        doc.put(ROOT, "name", "Ayşe").unwrap();
        doc.commit();
        let heads = doc.get_heads();
        let mine = doc.save_after(&[]);
        assert_eq!(foreign_author(&mine, &me), None, "a device's own changes");
        let mut forged = doc.fork().with_actor(automerge::ActorId::from(other));
        forged.put(ROOT, "consent", false).unwrap();
        forged.commit();
        let theirs = forged.save_after(&heads);
        assert_eq!(foreign_author(&theirs, &me), Some(other.to_vec()), "a change as another device");
        assert_eq!(
            foreign_author(&[mine.clone(), theirs.clone()].concat(), &me),
            Some(other.to_vec()),
            "behind one of its own"
        );
        assert_eq!(foreign_author(&theirs, &other), None);
        assert_eq!(foreign_author(&forged.save(), &me), None, "a whole document, handed back under its signer's word");
        let mut legacy = doc.fork().with_actor(automerge::ActorId::from([9u8; 16]));
        legacy.put(ROOT, "x", 1).unwrap();
        legacy.commit();
        assert_eq!(foreign_author(&legacy.save_after(&heads), &me), None, "an actor that names no device");
        assert_eq!(foreign_author(b"garbage", &me), None, "left to the strict load");
    }

    /// The fuzz corpus' crashing bundle chunk is never parsed for its
    /// actor: it is refused as a chunk type, after the author check.
    #[test]
    fn an_automerge_bundle_chunk_is_not_parsed_for_its_author() {
        assert_eq!(foreign_author(CRASH, &[1; 32]), None);
    }

    #[test]
    fn headers_that_make_no_sense_are_left_to_automerge() {
        for bytes in [
            &[][..],
            &[0x85, 0x6f, 0x4a],
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            &[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1, 0xff],
        ] {
            assert_eq!(only_documents_and_changes(bytes), Ok(()));
        }
        let huge = [0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(only_documents_and_changes(&huge), Ok(()));
    }
}
