//! Likely duplicate contacts: a family written down on two phones becomes
//! two contacts, and each is counted. Pairs are suggested, never merged by
//! themselves: a person merges a pair ([`Notebook::merge`]) or says they are
//! two people ([`Notebook::not_the_same`]), and both are ordinary writes
//! that every device converges on.
//!
//! Two contacts are a likely pair when they share a phone number (digits
//! only, the country code and the trunk zero left off) or when their names
//! sound alike: the same words in any order, case, accents and script aside
//! ("Ayşe Demir", "demir ayse", "Айше Демир", "عائشة دمير").
//!
//! Names are compared by a consonant skeleton of their Latin spelling.
//! Arabic script writes no short vowels, and the spelling of a name moved
//! between Latin, Cyrillic, Arabic and Turkish varies mostly in its vowels
//! and in a few consonants that one alphabet tells apart and another does
//! not (kh/h, sh/s, ç/ch, j/zh). The transliteration is a small table of
//! the scripts the network's communities write: a general crate
//! (deunicode, any_ascii) covers every script with tables of a few hundred
//! kilobytes, paid on every phone.

use std::collections::{BTreeMap, BTreeSet};

use crate::contact::{Consent, ConsentScope, Contact};
use crate::ids::{CommunityId, ContactId};
use crate::notebook::{fold, DocRef, Notebook, Row, RowSet};

/// Why two contacts are suggested as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Why {
    SamePhone,
    SameName,
}

/// A likely pair (`a` < `b`), with every reason found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LikelyPair {
    pub a: ContactId,
    pub b: ContactId,
    pub why: Vec<Why>,
}

/// A Latin spelling of one letter of Cyrillic, Arabic (with the letters
/// Persian and Kurdish add) or anything `fold` leaves; `None` for a letter
/// kept as it is.
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        // Cyrillic (Russian, Ukrainian).
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' | 'ґ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' | 'є' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' | 'і' | 'ї' => "i",
        'й' | 'ы' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' | 'щ' => "sh",
        'ъ' | 'ь' => "",
        'ю' => "yu",
        'я' => "ya",
        // Arabic, Persian, Kurdish.
        'ا' | 'أ' | 'آ' | 'ى' | 'ة' => "a",
        'إ' => "i",
        'ء' | 'ع' | 'ئ' | 'ؤ' => "",
        'ب' => "b",
        'پ' => "p",
        'ت' | 'ط' => "t",
        'ث' => "th",
        'ج' => "j",
        'چ' => "ch",
        'ح' | 'ه' | 'ھ' => "h",
        'خ' => "kh",
        'د' | 'ض' => "d",
        'ذ' | 'ظ' => "dh",
        'ر' | 'ڕ' => "r",
        'ز' => "z",
        'ژ' => "zh",
        'س' | 'ص' => "s",
        'ش' => "sh",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "q",
        'ك' | 'ک' => "k",
        'گ' => "g",
        'ل' | 'ڵ' => "l",
        'م' => "m",
        'ن' => "n",
        // A long vowel more often than a consonant in names.
        'و' | 'ۆ' => "",
        'ي' | 'ی' => "y",
        'ێ' => "e",
        // Turkish and German letters `fold` keeps.
        'ş' => "sh",
        'ß' => "ss",
        // Arabic short-vowel marks and the like.
        '\u{64b}'..='\u{65f}' | '\u{670}' => "",
        _ => return None,
    })
}

/// One word of a name as a consonant skeleton: transliterated, the
/// consonants one spelling tells apart and another does not made one,
/// vowels (and y, and Arabic's و, which write long vowels as often as
/// consonants) left out, doubled letters written once.
fn skeleton(word: &str) -> String {
    let mut latin_word = String::with_capacity(word.len());
    for c in fold(word).chars() {
        match latin(c) {
            Some(s) => latin_word.push_str(s),
            None if c.is_alphanumeric() => latin_word.push(c),
            None => {}
        }
    }
    let spelled = latin_word
        .replace("kh", "h")
        .replace("sh", "s")
        .replace("ch", "c")
        .replace("zh", "j")
        .replace("dzh", "j")
        .replace("th", "t")
        .replace("dh", "d")
        .replace("gh", "g")
        .replace("ph", "f")
        .replace("ts", "s");
    let mut out = String::with_capacity(spelled.len());
    for c in spelled.chars() {
        let c = match c {
            'q' | 'c' => 'k',
            // Latin w as German and Polish say it.
            'v' | 'w' => 'f',
            'z' => 's',
            'd' => 't',
            'b' => 'p',
            'j' => 'g',
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' => continue,
            c => c,
        };
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// A name as a key two spellings of it share: each word's skeleton, sorted
/// (word order does not matter). `None` for a name too short to tell
/// people apart: fewer than two words with a skeleton.
pub fn name_key(name: &str) -> Option<String> {
    let mut words: Vec<String> =
        name.split(|c: char| c.is_whitespace() || c == '-').map(skeleton).filter(|w| !w.is_empty()).collect();
    if words.len() < 2 {
        return None;
    }
    crate::order::sort(&mut words);
    Some(words.join(" "))
}

/// A phone number as its digits, without the country code (+49 or 0049)
/// or the trunk zero; `None` for fewer than six digits.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let plus = phone.trim_start().starts_with('+');
    let national = if plus {
        digits.strip_prefix("49").unwrap_or(&digits)
    } else if let Some(rest) = digits.strip_prefix("0049") {
        rest
    } else {
        digits.strip_prefix('0').unwrap_or(&digits)
    };
    (national.len() >= 6).then(|| national.to_owned())
}

/// Why a pair cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    #[error("a contact cannot be merged with itself")]
    SameContact,
    #[error("the contact {0} is not in this notebook")]
    NotFound(ContactId),
    #[error("the contact {0} was already merged into another")]
    AlreadyMerged(ContactId),
    /// Records of one community's document cannot name a contact that
    /// lives in another's: its mentors would not see the person.
    #[error("the two contacts are in different communities")]
    OtherCommunities,
}

/// The writes that merge one contact into another, per document.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    /// The community of both contacts: the kept contact (with what only the
    /// other held), the other marked as merged into it, and every
    /// consultation, referral and follow-up moved to the kept one.
    pub community: (CommunityId, RowSet),
    /// The training places the other filled, moved (network document);
    /// `None` if there are none.
    pub network: Option<RowSet>,
    /// How many records were moved, by kind: consultations, referrals,
    /// follow-ups, training places.
    pub moved: [usize; 4],
}

impl Merge {
    /// The writes in the order to make them: the records that move first,
    /// so a merge cut short leaves the other contact listed and can be done
    /// again.
    pub fn writes(self) -> Vec<(DocRef, RowSet)> {
        let (community, rows) = self.community;
        self.network.map(|n| (DocRef::Network, n)).into_iter().chain([(DocRef::Community(community), rows)]).collect()
    }
}

/// How strong a consent is: what it allows, then how recent it is.
fn strength(c: &Consent) -> (u8, &str) {
    let scope = match c.scope {
        ConsentScope::Advice => 0,
        ConsentScope::AdviceAndReferral => 1,
    };
    (scope, c.given_on.as_str())
}

/// The kept contact with what only `gone` held: its phone, district and
/// household where the kept one has none, its languages and notes added,
/// the stronger consent, and whom either is not.
fn combined(keep: &Contact, gone: &Contact) -> Contact {
    let mut c = keep.clone();
    let fill = |mine: &mut String, theirs: &str| {
        if mine.trim().is_empty() {
            *mine = theirs.to_owned();
        }
    };
    fill(&mut c.phone, &gone.phone);
    fill(&mut c.district, &gone.district);
    c.household = c.household.or(gone.household);
    for l in &gone.languages {
        if !c.languages.iter().any(|m| fold(m) == fold(l)) {
            c.languages.push(l.clone());
        }
    }
    if !gone.notes.trim().is_empty() && !c.notes.contains(gone.notes.trim()) {
        c.notes = if c.notes.trim().is_empty() { gone.notes.clone() } else { format!("{}\n\n{}", c.notes, gone.notes) };
    }
    if strength(&gone.consent) > strength(&c.consent) {
        c.consent = gone.consent.clone();
    }
    for n in &gone.not_the_same {
        if *n != c.id && !c.not_the_same.contains(n) {
            c.not_the_same.push(*n);
        }
    }
    c
}

impl Notebook {
    /// Merges `gone` into `keep` (two records of one person): see [`Merge`].
    /// What still names `gone` afterwards (a consultation written offline
    /// on a phone that had not heard of the merge) counts for `keep`
    /// ([`Notebook::kept_contact`]).
    pub fn merge(&self, keep: ContactId, gone: ContactId) -> Result<Merge, MergeError> {
        if keep == gone {
            return Err(MergeError::SameContact);
        }
        let k = self.contact(keep).ok_or(MergeError::NotFound(keep))?;
        let g = self.contact(gone).ok_or(MergeError::NotFound(gone))?;
        for c in [k, g] {
            if c.record.merged_into.is_some() {
                return Err(MergeError::AlreadyMerged(c.record.id));
            }
        }
        if k.community != g.community {
            return Err(MergeError::OtherCommunities);
        }
        let mut rows = RowSet::default();
        let mut moved = [0; 4];
        for c in self.consultations().filter(|c| c.record.contact == Some(gone)) {
            let mut r = c.record.clone();
            r.contact = Some(keep);
            r.household = r.household.or(g.record.household);
            r.push(&mut rows);
            moved[0] += 1;
        }
        for r in self.referrals().filter(|r| r.record.contact == gone) {
            let mut r = r.record.clone();
            r.contact = keep;
            r.push(&mut rows);
            moved[1] += 1;
        }
        for f in self.follow_ups().filter(|f| f.record.contact == Some(gone)) {
            let mut f = f.record.clone();
            f.contact = Some(keep);
            f.push(&mut rows);
            moved[2] += 1;
        }
        let mut network = RowSet::default();
        for p in self.training_places().into_iter().filter(|p| p.filled_by == Some(gone)) {
            let mut p = p.clone();
            p.filled_by = Some(keep);
            p.push(&mut network);
            moved[3] += 1;
        }
        combined(&k.record, &g.record).push(&mut rows);
        let mut tomb = g.record.clone();
        tomb.merged_into = Some(keep);
        tomb.push(&mut rows);
        Ok(Merge { community: (k.community, rows), network: (moved[3] > 0).then_some(network), moved })
    }

    /// Says that `a` and `b` are two people: the pair is no longer
    /// suggested. The write goes to the contact with the smaller id (the
    /// same one on every device), in its community's document.
    pub fn not_the_same(&self, a: ContactId, b: ContactId) -> Result<(DocRef, Contact), MergeError> {
        if a == b {
            return Err(MergeError::SameContact);
        }
        let (low, high) = if a < b { (a, b) } else { (b, a) };
        self.contact(high).ok_or(MergeError::NotFound(high))?;
        let c = self.contact(low).ok_or(MergeError::NotFound(low))?;
        let mut record = c.record.clone();
        if !record.not_the_same.contains(&high) {
            record.not_the_same.push(high);
        }
        Ok((DocRef::Community(c.community), record))
    }

    /// Likely duplicate contacts, by phone and by name, in a stable order;
    /// pairs a person said are two people are left out, as are pairs in
    /// `not_the_same` (said on this device, not yet written).
    pub fn likely_duplicates(&self, not_the_same: &BTreeSet<(ContactId, ContactId)>) -> Vec<LikelyPair> {
        let mut two_people: BTreeSet<(ContactId, ContactId)> = not_the_same.clone();
        let mut by: BTreeMap<(Why, String), Vec<ContactId>> = BTreeMap::new();
        for c in self.contacts() {
            for other in &c.record.not_the_same {
                let id = c.record.id;
                two_people.insert(if id < *other { (id, *other) } else { (*other, id) });
            }
            if let Some(k) = phone_key(&c.record.phone) {
                by.entry((Why::SamePhone, k)).or_default().push(c.record.id);
            }
            if let Some(k) = name_key(&c.record.name) {
                by.entry((Why::SameName, k)).or_default().push(c.record.id);
            }
        }
        let mut pairs: BTreeMap<(ContactId, ContactId), BTreeSet<Why>> = BTreeMap::new();
        for ((why, _), mut ids) in by {
            crate::order::sort(&mut ids);
            for (n, a) in ids.iter().enumerate() {
                for b in &ids[n + 1..] {
                    if !two_people.contains(&(*a, *b)) {
                        pairs.entry((*a, *b)).or_default().insert(why);
                    }
                }
            }
        }
        pairs.into_iter().map(|((a, b), why)| LikelyPair { a, b, why: why.into_iter().collect() }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_in_four_spellings_has_one_key() {
        let key = name_key("Ayşe Demir");
        assert!(key.is_some());
        for other in ["demir ayse", "AYSE DEMİR", "Айше Демир", "عائشة دمير", "Ayshe Demir"] {
            assert_eq!(name_key(other), key, "{other}");
        }
    }

    #[test]
    fn names_across_scripts_match_and_others_do_not() {
        let same = [
            ("Hassan Aziz", "Хасан Азиз"),
            ("Hassan Aziz", "حسن عزيز"),
            ("Omar Haddad", "عمر حداد"),
            ("Olga Nowak", "Ольга Новак"),
            ("Mehmet Yılmaz", "Мехмет Йылмаз"),
            ("Leyla Şahin", "Лейла Шахин"),
            ("Fatma Kaya", "فاطمة كايا"),
        ];
        for (a, b) in same {
            assert_eq!(name_key(a), name_key(b), "{a} / {b}");
        }
        let different =
            [("Hassan Aziz", "Karim Aziz"), ("Olga Nowak", "Olga Kowalski"), ("Irina Ivanova", "Irina Petrova")];
        for (a, b) in different {
            assert_ne!(name_key(a), name_key(b), "{a} / {b}");
        }
        assert_eq!(name_key("Ayşe"), None, "one word does not tell people apart");
        // What a skeleton cannot tell apart: names that differ only in their
        // vowels, as Arabic writes them alike (حسن, حسين). Such a pair is
        // suggested, and a person says "not the same".
        assert_eq!(name_key("Hassan Aziz"), name_key("Hussein Aziz"));
    }

    #[test]
    fn a_phone_number_in_any_usual_form_has_one_key() {
        let key = phone_key("0541 1000001");
        assert_eq!(key.as_deref(), Some("5411000001"));
        for other in ["+49 541 1000001", "0049 (541) 100-0001", "05411000001"] {
            assert_eq!(phone_key(other), key, "{other}");
        }
        assert_eq!(phone_key("112"), None);
        assert_eq!(phone_key(""), None);
    }
}
