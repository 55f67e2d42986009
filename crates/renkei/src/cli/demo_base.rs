//! The information base as `renkei demo` sets it up: the municipalities of the demo's own
//! people, with the 証 and the applications of those people loaded (the same people the
//! plans were made for, so the care office finds them); a clinic to ask for opinions; and
//! an administrator for each, signing in with the demo's password and a one-time code.
//!
//! Consent, results, opinions and registrations are left for the pages, so the demo shows
//! the whole national flow rather than its end.

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Result;
use renkei_hub::relay::{NewStaff, Relay, clinic_holder, municipality_holder};
use renkei_hub::store::AccountRole;
use renkei_infobase::Participant;
use renkei_infobase::upload::UploadKind;
use renkei_spec::generate::{Insured, World};

use super::base::{GENERATED, lines};

/// The demo's clinic: 医療機関コード and name, both fictional.
pub const CLINIC: (&str, &str) = ("1310100001", "架空内科クリニック");

/// The name every demo administrator signs in with.
pub const ADMIN: &str = "admin";

/// What was set up, to be printed.
pub struct DemoBase {
    /// Each municipality's administrator, then the clinic's.
    pub staff: Vec<(String, NewStaff)>,
    /// An insured person who has set the demo's password (as if with their municipality's
    /// activation code), to see the person's own pages.
    pub person: Option<Insured>,
}

/// Which of the municipality's files the demo loads: 証 and applications only.
const LOADED: [UploadKind; 3] = [
    UploadKind::InsuranceCard,
    UploadKind::BurdenRatio,
    UploadKind::Application,
];

/// One kind's CSV for `people`, as `renkei base gen` writes it.
fn csv(kind: UploadKind, people: &[&Insured]) -> Vec<u8> {
    let at = GENERATED
        .iter()
        .position(|k| *k == kind)
        .expect("every loaded kind is generated");
    let mut text = kind.columns().join(",");
    text.push('\n');
    for person in people {
        text.push_str(&lines(person)[at]);
        text.push('\n');
    }
    text.into_bytes()
}

pub async fn prepare(relay: &Relay, world: &World, password: &str) -> Result<DemoBase> {
    let now = renkei_seal::unix_now();
    let insured = world.insured();
    let mut by_insurer: BTreeMap<&str, Vec<&Insured>> = BTreeMap::new();
    for person in &insured {
        by_insurer.entry(&person.insurer).or_default().push(person);
    }
    let mut staff = Vec::new();
    for (insurer, people) in &by_insurer {
        let name = renkei_spec::generate::municipality_name(insurer)
            .unwrap_or("架空の市町村")
            .to_owned();
        relay.add_municipality(insurer, &name, now).await?;
        let municipality = Participant::Municipality {
            insurer: (*insurer).to_owned(),
        };
        for kind in LOADED {
            relay.load(&municipality, &csv(kind, people), now).await?;
        }
        let admin = relay
            .add_staff(
                &municipality_holder(insurer),
                ADMIN,
                AccountRole::Admin,
                password,
                now,
            )
            .await?;
        staff.push((name, admin));
    }
    relay
        .add_clinic(CLINIC.0, CLINIC.1, Vec::new(), now)
        .await?;
    let admin = relay
        .add_staff(
            &clinic_holder(CLINIC.0),
            ADMIN,
            AccountRole::Admin,
            password,
            now,
        )
        .await?;
    staff.push((CLINIC.1.to_owned(), admin));
    // The last person: the browser tests take the first through activation themselves.
    let person = insured.last().cloned();
    if let Some(person) = &person {
        let key = renkei_infobase::PersonKey::new(&person.insurer, &person.insured);
        let municipality = Participant::Municipality {
            insurer: person.insurer.clone(),
        };
        let code = relay.issue_activation(&municipality, &key, now).await?;
        let local = std::net::IpAddr::from([127, 0, 0, 1]);
        relay.activate(&key, &code, password, local, now).await?;
    }
    Ok(DemoBase { staff, person })
}

impl DemoBase {
    /// The sign-ins, as the demo prints them: one line per organisation, the key last so
    /// that `renkei base code KEY` can be pasted.
    pub fn print(&self, out: &mut impl Write, port: u16) -> std::io::Result<()> {
        writeln!(
            out,
            "介護情報基盤 / information base: https://localhost:{port}/base/"
        )?;
        for (name, staff) in &self.staff {
            writeln!(
                out,
                "  {} {name}  職員 / staff: {}  認証アプリの鍵 / authenticator key: {}",
                staff.holder, staff.name, staff.totp_secret
            )?;
        }
        writeln!(
            out,
            "  (パスワードは上と同じ。確認コードは認証アプリか renkei base code 鍵 で / same password; the code from an authenticator app or `renkei base code KEY`)"
        )?;
        if let Some(person) = &self.person {
            writeln!(
                out,
                "  ご本人 / insured person: {}  保険者番号 / insurer {}  被保険者番号 / insured {}  (パスワードは上と同じ / same password)",
                person.name, person.insurer, person.insured
            )?;
        }
        Ok(())
    }
}
