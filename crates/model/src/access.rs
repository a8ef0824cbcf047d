//! An access request (GDPR Art. 15): everything the notebook holds about
//! one person, as a file for them, made on the coordinator's device.
//!
//! What names the person is exactly what an erasure would remove or
//! unlink ([`Erasure::plan`]): the export and the erasure never disagree on
//! whose data a record is. It holds nothing about anyone else:
//! - a household the person shares with others appears with its name and
//!   district only (the family's name is theirs too), never its notes or
//!   its other members, which may be about the others;
//! - consultations with such a shared household as a whole stay out (they
//!   are about the whole family; the plan keeps them as well);
//! - other contacts' ids (`not_the_same`) stay out;
//! - mentors appear by name: who recorded and advised is what Art. 15 asks
//!   for (the recipients), and they are the service centre's staff.
//!
//! The JSON's field names are the struct fields below, stable: a new field
//! may come, none is renamed (`format` names the version).

use serde::Serialize;

use crate::erasure::{Erasure, UnknownContact};
use crate::ids::{ContactId, MentorId};
use crate::kind::Kind;
use crate::notebook::{iso_from_days, Notebook};

/// The JSON's version: raised when a field changes meaning.
pub const FORMAT: &str = "lotse-access-1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Access {
    pub format: &'static str,
    /// ISO date the export was made.
    pub made_on: String,
    /// The community whose notebook holds the person.
    pub community: String,
    /// The person's record, and those merged into it (the same person,
    /// written down twice).
    pub contacts: Vec<AccessContact>,
    pub household: Option<AccessHousehold>,
    pub consultations: Vec<AccessConsultation>,
    pub referrals: Vec<AccessReferral>,
    pub follow_ups: Vec<AccessFollowUp>,
    /// Training places the person filled.
    pub training_places: Vec<AccessPlace>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessContact {
    pub id: String,
    pub name: String,
    pub phone: String,
    /// `parent`, `youth` or `self-employed`.
    pub target_group: String,
    pub languages: Vec<String>,
    pub district: String,
    pub notes: String,
    pub consent: AccessConsent,
    pub created_on: String,
    pub created_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessConsent {
    pub given_on: String,
    /// `advice` or `advice-referral`.
    pub scope: String,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessHousehold {
    pub name: String,
    pub district: String,
    /// Empty when others belong to the household too (see the module).
    pub notes: String,
    /// Whether others belong to it (they are not named).
    pub shared: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessConsultation {
    pub date: String,
    /// Codes: `orientation`, `training-place`, …
    pub topics: Vec<String>,
    /// Code: `informed`, `referred`, …
    pub outcome: String,
    pub notes: String,
    pub mentor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessReferral {
    pub date: String,
    pub institution: String,
    pub reason: String,
    /// Code: `open`, `contacted`, `done`, `no-show`.
    pub status: String,
    pub follow_up_on: Option<String>,
    pub mentor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessFollowUp {
    pub due_on: String,
    pub note: String,
    pub done: bool,
    pub mentor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessPlace {
    pub company: String,
    pub occupation: String,
    pub start_on: String,
    /// Code: `acquired`, `offered`, `filled`.
    pub status: String,
}

impl Access {
    /// Everything about `contact` in `nb`, as of `today` (ISO date).
    pub fn of(nb: &Notebook, contact: ContactId, today: &str) -> Result<Access, UnknownContact> {
        let plan = Erasure::plan(nb, contact)?;
        let person = nb.kept_contact(contact);
        let mentor = |id: MentorId| nb.mentor(id).map(|m| m.name.clone()).unwrap_or_default();
        let day_of = |ms: i64| iso_from_days(ms.div_euclid(86_400_000));
        let in_plan = |kind: Kind, id: &dyn std::fmt::Display| plan.erased.contains(kind, &id.to_string());

        // The kept record first, then the duplicates merged into it.
        let mut group: Vec<_> = nb.every_contact().filter(|c| in_plan(Kind::Contact, &c.record.id)).collect();
        group.sort_by_key(|c| (c.record.id != person, c.record.created_at));
        let community =
            group.first().and_then(|c| nb.community(c.community)).map(|c| c.name.clone()).unwrap_or_default();
        let contacts = group
            .iter()
            .map(|c| {
                let r = &c.record;
                AccessContact {
                    id: r.id.to_string(),
                    name: r.name.clone(),
                    phone: r.phone.clone(),
                    target_group: r.target_group.code().to_owned(),
                    languages: r.languages.clone(),
                    district: r.district.clone(),
                    notes: r.notes.clone(),
                    consent: AccessConsent {
                        given_on: r.consent.given_on.clone(),
                        scope: r.consent.scope.code().to_owned(),
                        recorded_by: mentor(r.consent.recorded_by),
                    },
                    created_on: day_of(r.created_at),
                    created_by: mentor(r.created_by),
                }
            })
            .collect();
        let household = group.iter().find_map(|c| nb.household(c.record.household?)).map(|h| {
            let shared = !in_plan(Kind::Household, &h.record.id);
            AccessHousehold {
                name: h.record.name.clone(),
                district: h.record.district.clone(),
                notes: if shared { String::new() } else { h.record.notes.clone() },
                shared,
            }
        });
        let mut consultations: Vec<_> = nb
            .consultations()
            .filter(|c| in_plan(Kind::Consultation, &c.record.id))
            .map(|c| {
                let r = &c.record;
                AccessConsultation {
                    date: r.date.clone(),
                    topics: r.topics.iter().map(|t| t.code().to_owned()).collect(),
                    outcome: r.outcome.code().to_owned(),
                    notes: r.notes.clone(),
                    mentor: mentor(r.mentor),
                }
            })
            .collect();
        consultations.sort_by(|a, b| a.date.cmp(&b.date));
        let mut referrals: Vec<_> = nb
            .referrals()
            .filter(|r| in_plan(Kind::Referral, &r.record.id))
            .map(|r| {
                let r = &r.record;
                AccessReferral {
                    date: r.date.clone(),
                    institution: nb.institution(r.institution).map(|i| i.name.clone()).unwrap_or_default(),
                    reason: r.reason.clone(),
                    status: r.status.code().to_owned(),
                    follow_up_on: r.follow_up_on.clone(),
                    mentor: mentor(r.mentor),
                }
            })
            .collect();
        referrals.sort_by(|a, b| a.date.cmp(&b.date));
        let mut follow_ups: Vec<_> = nb
            .follow_ups()
            .filter(|f| in_plan(Kind::FollowUp, &f.record.id))
            .map(|f| {
                let r = &f.record;
                AccessFollowUp {
                    due_on: r.due_on.clone(),
                    note: r.note.clone(),
                    done: r.done,
                    mentor: mentor(r.mentor),
                }
            })
            .collect();
        follow_ups.sort_by(|a, b| a.due_on.cmp(&b.due_on));
        let training_places = nb
            .training_places()
            .into_iter()
            .filter(|p| plan.unlinked.contains(Kind::TrainingPlace, &p.id.to_string()))
            .map(|p| AccessPlace {
                company: nb.company(p.company).map(|c| c.name.clone()).unwrap_or_default(),
                occupation: p.occupation.clone(),
                start_on: p.start_on.clone(),
                status: p.status.code().to_owned(),
            })
            .collect();
        Ok(Access {
            format: FORMAT,
            made_on: today.to_owned(),
            community,
            contacts,
            household,
            consultations,
            referrals,
            follow_ups,
            training_places,
        })
    }

    /// The first of the person's languages that is one of `supported`
    /// (language codes, as `tr` or `tr-TR`; a language written out, as
    /// "Türkisch", is not guessed): the export's language, else the app's.
    pub fn language<'a>(&self, supported: &[&'a str]) -> Option<&'a str> {
        let languages = self.contacts.first()?.languages.iter();
        languages.map(|l| l.trim().to_lowercase()).find_map(|l| {
            let code = l.split(['-', '_']).next().unwrap_or_default().to_owned();
            supported.iter().copied().find(|s| *s == code)
        })
    }

    /// A printable page of the export in one language: `t` gives the text
    /// of a message (the app's Fluent keys, `access-*` and the closed
    /// lists' own), `date` an ISO date in that language.
    pub fn html(&self, lang: &str, rtl: bool, t: &dyn Fn(&str) -> String, date: &dyn Fn(&str) -> String) -> String {
        let mut page = Page::default();
        let title = t("art15-title");
        page.raw(&format!(
            "<!doctype html><html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>",
            esc(lang),
            if rtl { "rtl" } else { "ltr" },
            esc(&title)
        ));
        page.raw(concat!(
            "<style>body{font:16px/1.5 sans-serif;max-width:48em;margin:2em auto;padding:0 1em}",
            "h1,h2{line-height:1.2}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25em 1em}",
            "dt{font-weight:bold}dd{margin:0;white-space:pre-wrap}section{break-inside:avoid}",
            "bdi.ltr{direction:ltr;unicode-bidi:isolate}</style></head><body>"
        ));
        page.tag("h1", &title);
        page.fields(&[(t("art15-made-on"), date(&self.made_on)), (t("art15-community"), self.community.clone())]);
        page.raw(&format!("<p>{}</p>", esc(&t("art15-intro"))));
        for c in &self.contacts {
            page.section(&t("art15-contact"));
            page.fields(&[
                (t("contact-name"), c.name.clone()),
                (t("contact-target-group"), t(&format!("group-{}", c.target_group))),
                (t("contact-languages"), c.languages.join(", ")),
                (t("contact-district"), c.district.clone()),
                (t("contact-notes"), c.notes.clone()),
                (t("contact-consent-date"), date(&c.consent.given_on)),
                (t("contact-consent-scope"), t(&format!("scope-{}", c.consent.scope))),
                (t("art15-recorded-by"), c.consent.recorded_by.clone()),
                (t("art15-created-on"), date(&c.created_on)),
                (t("art15-created-by"), c.created_by.clone()),
            ]);
            // A phone number reads left to right in every language.
            page.raw(&format!(
                "<dl><dt>{}</dt><dd><bdi class=\"ltr\" dir=\"ltr\">{}</bdi></dd></dl>",
                esc(&t("contact-phone")),
                esc(&c.phone)
            ));
            page.raw("</section>");
        }
        if let Some(h) = &self.household {
            page.section(&t("art15-household"));
            let mut fields = vec![(t("art15-name"), h.name.clone()), (t("contact-district"), h.district.clone())];
            if h.shared {
                fields.push((t("art15-notes"), t("art15-household-shared")));
            } else {
                fields.push((t("art15-notes"), h.notes.clone()));
            }
            page.fields(&fields);
            page.raw("</section>");
        }
        page.list(&t("art15-consultations"), &t("art15-none"), &self.consultations, |c| {
            let topics: Vec<String> = c.topics.iter().map(|code| t(&format!("topic-{code}"))).collect();
            vec![
                (t("art15-date"), date(&c.date)),
                (t("art15-topics"), topics.join(", ")),
                (t("art15-outcome"), t(&format!("outcome-{}", c.outcome))),
                (t("art15-notes"), c.notes.clone()),
                (t("art15-mentor"), c.mentor.clone()),
            ]
        });
        page.list(&t("art15-referrals"), &t("art15-none"), &self.referrals, |r| {
            vec![
                (t("art15-date"), date(&r.date)),
                (t("art15-institution"), r.institution.clone()),
                (t("art15-reason"), r.reason.clone()),
                (t("art15-status"), t(&format!("referral-status-{}", r.status))),
                (t("art15-follow-up-on"), r.follow_up_on.as_deref().map(date).unwrap_or_default()),
                (t("art15-mentor"), r.mentor.clone()),
            ]
        });
        page.list(&t("art15-follow-ups"), &t("art15-none"), &self.follow_ups, |f| {
            vec![
                (t("art15-due-on"), date(&f.due_on)),
                (t("art15-notes"), f.note.clone()),
                (t("art15-done"), t(if f.done { "art15-yes" } else { "art15-no" })),
                (t("art15-mentor"), f.mentor.clone()),
            ]
        });
        page.list(&t("art15-training-places"), &t("art15-none"), &self.training_places, |p| {
            vec![
                (t("art15-company"), p.company.clone()),
                (t("art15-occupation"), p.occupation.clone()),
                (t("art15-start-on"), date(&p.start_on)),
                (t("art15-status"), t(&format!("place-status-{}", p.status))),
            ]
        });
        page.raw("</body></html>\n");
        page.0
    }
}

/// The HTML page being written; every text goes through [`esc`].
#[derive(Default)]
struct Page(String);

impl Page {
    fn raw(&mut self, html: &str) {
        self.0.push_str(html);
    }

    fn tag(&mut self, tag: &str, text: &str) {
        self.0.push_str(&format!("<{tag}>{}</{tag}>", esc(text)));
    }

    fn section(&mut self, heading: &str) {
        self.raw("<section>");
        self.tag("h2", heading);
    }

    /// Label and value pairs; empty values are left out. What a person
    /// typed is isolated, so its direction does not turn the page's.
    fn fields(&mut self, fields: &[(String, String)]) {
        self.raw("<dl>");
        for (label, value) in fields.iter().filter(|(_, v)| !v.trim().is_empty()) {
            self.raw(&format!("<dt>{}</dt><dd><bdi>{}</bdi></dd>", esc(label), esc(value)));
        }
        self.raw("</dl>");
    }

    fn list<T>(&mut self, heading: &str, none: &str, items: &[T], fields: impl Fn(&T) -> Vec<(String, String)>) {
        self.section(heading);
        if items.is_empty() {
            self.tag("p", none);
        }
        for item in items {
            self.fields(&fields(item));
        }
        self.raw("</section>");
    }
}

/// Text as HTML: nothing a person typed can become markup.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}
