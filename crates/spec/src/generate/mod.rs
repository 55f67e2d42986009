//! A generator of realistic fictional data, deterministic for a seed (same seed, same bytes).
//!
//! It builds a small world — planner offices (居宅介護支援 43, and every fourth a 地域包括
//! 46), providers of the main kinds, people with certifications and services — then writes
//! what moves in one month: each planner's plans (第1表・第2表・第3表 with 補足) and 予定
//! (第6表・第7表 with 補足) split per destination (§3.4), the 介護予防 files of the 地域包括,
//! and every provider's 実績 back to its planners.

mod catalog;
mod insured;
mod people;
mod plans;
mod prevention;
mod registry;
mod schedules;

use std::collections::BTreeMap;

use fastrand::Rng;
use serde::Serialize;

use crate::codec::{self, Record};
use crate::error::Result;
use crate::filename::FileName;
use crate::ids::{Date, FileSerial, OfficeNumber, ServiceKind, YearMonth};
use crate::kind::FileKind;
use crate::layout::Layout;
use crate::progress::Progress;
use crate::split::{self, Export};
use crate::version::{CsvVersion, Generation};
use catalog::Offering;
pub use insured::{Insured, insured};
pub use registry::{RegisteredOffice, registry, registry_csv};

/// The name of a municipality the generated people live in, by its 保険者番号.
pub fn municipality_name(insurer: &str) -> Option<&'static str> {
    people::PLACES
        .iter()
        .find(|(number, _, _)| *number == insurer)
        .map(|(_, name, _)| *name)
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct Config {
    pub seed: u64,
    pub planners: usize,
    pub providers: usize,
    /// People in all, shared out among the planners.
    pub users: usize,
    pub month: YearMonth,
    pub generation: Generation,
    /// One send unit per person (each with its own ファイル連番), as care software that
    /// exports each person's plan on its own does; otherwise one per office and kind, all
    /// people together (§3.4 leaves it free).
    pub per_person: bool,
}

/// A generated office.
#[derive(Clone, Debug, Serialize)]
pub struct Office {
    pub number: OfficeNumber,
    pub kind: ServiceKind,
    pub name: String,
    pub zip: String,
    pub address: String,
    pub phone: String,
}

struct Service {
    provider: usize,
    offering: Offering,
    /// 曜日 1 (月) … 7 (日) of the weekly visits; empty for monthly rentals.
    weekdays: Vec<u8>,
    tais: String,
}

struct User {
    person: people::Person,
    insured: String,
    birth: Date,
    care_level: &'static str,
    cert_date: Date,
    cert_from: Date,
    cert_to: Date,
    planner: usize,
    care_manager: String,
    plan_date: Date,
    first_plan_date: Date,
    services: Vec<Service>,
}

/// The generated world: offices and people, before any file is written.
pub struct World {
    config: Config,
    pub planners: Vec<Office>,
    pub providers: Vec<Office>,
    users: Vec<User>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("planners", &self.planners.len())
            .field("providers", &self.providers.len())
            .field("users", &self.users.len())
            .finish()
    }
}

/// One generated file.
#[derive(Clone, Debug)]
pub struct GeneratedFile {
    pub name: FileName,
    pub bytes: Vec<u8>,
}

/// What a run produced.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub bytes: u64,
    pub records: u64,
    pub units: usize,
    pub by_kind: BTreeMap<String, usize>,
}

fn office_number(
    rng: &mut Rng,
    prefecture: u8,
    used: &mut std::collections::BTreeSet<String>,
) -> OfficeNumber {
    loop {
        let number = format!("{prefecture:02}{:08}", rng.u32(..100_000_000));
        if used.insert(number.clone()) {
            return OfficeNumber::parse(&number).expect("ten digits");
        }
    }
}

fn kind(code: &str) -> ServiceKind {
    ServiceKind::parse(code).expect("catalogue kinds are well formed")
}

impl World {
    pub fn new(config: Config) -> Self {
        let mut rng = Rng::with_seed(config.seed);
        let mut used = std::collections::BTreeSet::new();
        let planners: Vec<Office> = (0..config.planners.max(1))
            .map(|i| {
                let prevention = i % 4 == 3;
                let tag = people::pick(&mut rng, people::PROVIDER_NAMES);
                Office {
                    number: office_number(&mut rng, 13, &mut used),
                    kind: if prevention {
                        ServiceKind::PREVENTION_SUPPORT
                    } else {
                        ServiceKind::CARE_MANAGEMENT
                    },
                    name: if prevention {
                        format!("地域包括支援センター{tag}{}", i + 1)
                    } else {
                        format!("居宅介護支援事業所{tag}{}", i + 1)
                    },
                    zip: format!("16{}-00{:02}", i % 10, i % 100),
                    address: format!("東京都新宿区西新宿{}丁目{}番", i % 8 + 1, i % 20 + 1),
                    phone: format!("03-5{:03}-{:04}", i % 1000, rng.u16(..10_000)),
                }
            })
            .collect();
        let has_prevention = planners
            .iter()
            .any(|p| p.kind == ServiceKind::PREVENTION_SUPPORT);
        let providers: Vec<Office> = (0..config.providers.max(1))
            .map(|i| {
                let kind_code = if has_prevention && i % 4 == 3 {
                    catalog::PREVENTION_KINDS[(i / 4) % catalog::PREVENTION_KINDS.len()]
                } else {
                    catalog::PROVIDER_KINDS
                        [(i - i / 4 * usize::from(has_prevention)) % catalog::PROVIDER_KINDS.len()]
                };
                let tag = people::pick(&mut rng, people::PROVIDER_NAMES);
                let label = crate::services::kind_name(kind_code).unwrap_or("サービス");
                Office {
                    number: office_number(&mut rng, 13, &mut used),
                    kind: kind(kind_code),
                    name: format!("{tag}{label}事業所{}", i + 1),
                    zip: format!("15{}-00{:02}", i % 10, i % 100),
                    address: format!("東京都世田谷区三軒茶屋{}丁目{}番", i % 5 + 1, i % 30 + 1),
                    phone: format!("03-6{:03}-{:04}", i % 1000, rng.u16(..10_000)),
                }
            })
            .collect();
        let mut world = World {
            config,
            planners,
            providers,
            users: Vec::new(),
        };
        let users = (0..world.config.users)
            .map(|i| world.user(&mut rng, i))
            .collect();
        world.users = users;
        world
    }

    fn user(&self, rng: &mut Rng, index: usize) -> User {
        let month = self.config.month;
        let planner = index % self.planners.len();
        let prevention = self.planners[planner].kind == ServiceKind::PREVENTION_SUPPORT;
        let care_level: &'static str = if prevention {
            SUPPORT_LEVELS[rng.usize(..SUPPORT_LEVELS.len())]
        } else {
            CARE_LEVELS[rng.usize(..CARE_LEVELS.len())]
        };
        let person = people::person(rng);
        let insured = if rng.u8(..50) == 0 {
            format!("H{:09}", rng.u32(..1_000_000_000))
        } else {
            format!("{:010}", rng.u64(..10_000_000_000))
        };
        let birth = YearMonth::new(1928 + rng.u16(..24), rng.u8(1..13))
            .expect("valid")
            .day(rng.u8(1..29));
        let cert_from = month.day(1).minus_days(30 * rng.u32(1..10));
        let cert_from = cert_from.year_month().day(1);
        let cert_to = {
            let mut ym = cert_from.year_month();
            for _ in 0..24 {
                ym = ym.next();
            }
            ym.day(1).minus_days(1)
        };
        let plan_date = month.day(1).minus_days(rng.u32(5..60));
        let first_plan_date = cert_from.minus_days(rng.u32(0..400));
        let (surname, _) = people::pick(rng, people::SURNAMES);
        let care_manager = format!(
            "{surname}　{}",
            people::pick(rng, &["真理", "恵", "健一", "直子", "裕子", "誠"])
        );
        let mut user = User {
            person,
            insured,
            birth,
            care_level,
            cert_date: cert_from.minus_days(rng.u32(1..20)),
            cert_from,
            cert_to,
            planner,
            care_manager,
            plan_date,
            first_plan_date: first_plan_date.min(plan_date),
            services: Vec::new(),
        };
        self.choose_services(rng, &mut user, prevention);
        user
    }

    /// One to three services from providers of kinds the planner works with, kept within
    /// the person's 区分支給限度基準額.
    fn choose_services(&self, rng: &mut Rng, user: &mut User, prevention: bool) {
        let kinds: &[&str] = if prevention {
            catalog::PREVENTION_KINDS
        } else {
            catalog::PROVIDER_KINDS
        };
        let candidates: Vec<usize> = (0..self.providers.len())
            .filter(|&i| kinds.contains(&self.providers[i].kind.as_str()))
            .collect();
        if candidates.is_empty() {
            return;
        }
        let wanted = rng.usize(1..=3.min(candidates.len()));
        let mut chosen: Vec<usize> = Vec::new();
        for _ in 0..wanted * 3 {
            let p = candidates[rng.usize(..candidates.len())];
            let kind = self.providers[p].kind;
            if chosen.len() < wanted && !chosen.iter().any(|&c| self.providers[c].kind == kind) {
                chosen.push(p);
            }
        }
        let limit = catalog::limit_units(user.care_level);
        let days = self.config.month.days() as u32;
        let mut used = 0;
        for provider in chosen {
            let offerings =
                catalog::offerings(self.providers[provider].kind.as_str(), user.care_level);
            if offerings.is_empty() {
                continue;
            }
            let rentals = offerings[0].per_week == 0;
            let picks: Vec<Offering> = if rentals {
                offerings
                    .iter()
                    .take(rng.usize(1..=offerings.len().min(3)))
                    .copied()
                    .collect()
            } else {
                vec![offerings[rng.usize(..offerings.len())]]
            };
            for offering in picks {
                let weekdays = if rentals {
                    Vec::new()
                } else {
                    weekdays(rng, offering.per_week)
                };
                let visits = if rentals {
                    1
                } else {
                    weekdays.len() as u32 * days / 7 + 1
                };
                let per_visit = offering.units + offering.addition.map_or(0, |a| a.2);
                if used + per_visit * visits > limit {
                    continue;
                }
                used += per_visit * visits;
                let tais = format!("{:05}-{:06}", rng.u32(1..100_000), rng.u32(..1_000_000));
                user.services.push(Service {
                    provider,
                    offering,
                    weekdays,
                    tais,
                });
            }
        }
    }

    /// The world's people as their municipalities know them, for the information base:
    /// the certification the plans name, renewed (更新) on its 認定日. People whose number
    /// is not ten digits are left out, as a municipality's own files would not hold them.
    pub fn insured(&self) -> Vec<Insured> {
        self.users
            .iter()
            .filter(|u| u.insured.len() == 10 && u.insured.bytes().all(|b| b.is_ascii_digit()))
            .map(|u| {
                let birth = u.birth.to_string();
                Insured {
                    insurer: u.person.insurer.to_owned(),
                    insured: u.insured.clone(),
                    name: u.person.name.clone(),
                    kana: u.person.kana.clone(),
                    birth_date: birth.clone(),
                    sex: u.person.sex,
                    address: format!("{}{}", u.person.address1, u.person.address2),
                    qualified: format!(
                        "{}{}",
                        birth[..4].parse::<u16>().unwrap_or(1950) + 65,
                        &birth[4..]
                    ),
                    ratio: 1,
                    application_kind: "更新",
                    application_date: u.cert_date.to_string(),
                    care_level: u.care_level,
                    valid_from: u.cert_from.to_string(),
                    valid_to: u.cert_to.to_string(),
                }
            })
            .collect()
    }

    /// The people of one planner, in order.
    fn users_of(&self, planner: usize) -> impl Iterator<Item = &User> {
        self.users.iter().filter(move |u| u.planner == planner)
    }

    fn layout(&self, kind: FileKind) -> Option<&'static Layout> {
        Layout::of(kind, self.config.generation)
    }

    fn version(&self) -> &'static str {
        CsvVersion::for_generation(self.config.generation).as_str()
    }

    fn new_record(&self, kind: FileKind) -> Option<(Record, &'static Layout)> {
        let layout = self.layout(kind)?;
        Some((Record::new(layout, self.version()), layout))
    }

    /// When the planner's care software exported: a few days before the month.
    fn export_serial(&self, planner: usize, minutes: u32) -> FileSerial {
        let day = self.config.month.day(1).minus_days(5);
        FileSerial::at(day, 9 * 3600 + minutes * 60 + (planner as u32 % 3600))
    }

    /// `export` cut into one export per person, each of its send units with a ファイル連番
    /// of its own (a second apart, from 08:00 on the export day).
    fn per_person(&self, export: &Export) -> Vec<Export> {
        let day = self.config.month.day(1).minus_days(5);
        let mut people: Vec<(String, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for record in export.parts.iter().flat_map(|p| &p.records) {
            let who = split::person(record);
            if seen.insert(who.clone()) {
                people.push(who);
            }
        }
        let mut serials: Vec<FileSerial> = export.parts.iter().map(|p| p.serial).collect();
        serials.sort();
        serials.dedup();
        people
            .iter()
            .enumerate()
            .map(|(index, who)| Export {
                planner: export.planner,
                generation: export.generation,
                parts: export
                    .parts
                    .iter()
                    .filter_map(|part| {
                        let records: Vec<Record> = part
                            .records
                            .iter()
                            .filter(|r| split::person(r) == *who)
                            .cloned()
                            .collect();
                        let unit = serials.iter().position(|s| *s == part.serial)? as u32;
                        let second = 8 * 3600 + index as u32 * serials.len() as u32 + unit;
                        (!records.is_empty()).then(|| split::Part {
                            kind: part.kind,
                            month: part.month,
                            serial: FileSerial::at(day, second),
                            records,
                        })
                    })
                    .collect(),
            })
            .collect()
    }

    /// The planner's export for the month: the parts before splitting.
    fn export(&self, planner: usize) -> Export {
        let office = &self.planners[planner];
        let mut parts = Vec::new();
        if office.kind == ServiceKind::CARE_MANAGEMENT {
            parts.extend(plans::parts(self, planner, self.export_serial(planner, 0)));
        } else {
            parts.extend(prevention::parts(
                self,
                planner,
                self.export_serial(planner, 0),
            ));
        }
        parts.extend(schedules::parts(
            self,
            planner,
            self.export_serial(planner, 30),
        ));
        Export {
            planner: (office.number, office.kind),
            generation: self.config.generation,
            parts,
        }
    }
}

/// 要介護状態区分 of people of a 地域包括 (要支援１・２, 事業対象者) and of a 居宅 (要介護１–５),
/// weighted towards the lighter levels as in the national statistics.
const SUPPORT_LEVELS: &[&str] = &["12", "12", "13", "13", "06"];
const CARE_LEVELS: &[&str] = &["21", "21", "22", "22", "23", "24", "25"];

/// Visit days spread through the week.
fn weekdays(rng: &mut Rng, per_week: u8) -> Vec<u8> {
    let start = rng.u8(1..=5);
    let step = (6 / per_week.max(1)).max(1);
    let mut days: Vec<u8> = (0..per_week)
        .map(|i| (start - 1 + i * step) % 6 + 1)
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

fn encode(world: &World, kind: FileKind, records: &[Record]) -> Result<Vec<u8>> {
    let layout = world
        .layout(kind)
        .expect("the generator only writes kinds of its generation");
    codec::write(layout, records)
}

/// Generate the month described by `config`, handing each file to `emit` in send order.
pub fn generate<E: From<crate::Error>>(
    config: Config,
    progress: &dyn Progress,
    mut emit: impl FnMut(GeneratedFile) -> std::result::Result<(), E>,
) -> std::result::Result<Summary, E> {
    let world = World::new(config);
    let mut summary = Summary::default();
    let mut units = std::collections::BTreeSet::new();
    let mut emit_file =
        |name: FileName, records: &[Record], summary: &mut Summary| -> std::result::Result<(), E> {
            let bytes = encode(&world, name.kind, records)?;
            summary.files += 1;
            summary.bytes += bytes.len() as u64;
            summary.records += records.len() as u64;
            *summary
                .by_kind
                .entry(name.kind.prefix().to_owned())
                .or_default() += 1;
            units.insert(crate::unit::UnitKey::of(&name));
            emit(GeneratedFile { name, bytes })
        };
    progress.start(
        (world.planners.len() + world.providers.len()) as u64,
        "生成中 / generating",
    );
    for planner in 0..world.planners.len() {
        let export = world.export(planner);
        let exports = if world.config.per_person {
            world.per_person(&export)
        } else {
            vec![export]
        };
        for export in &exports {
            for file in split::split(export) {
                emit_file(file.name, &file.records, &mut summary)?;
            }
        }
        progress.advance(1);
    }
    for provider in 0..world.providers.len() {
        for (name, records) in schedules::actuals(&world, provider) {
            emit_file(name, &records, &mut summary)?;
        }
        progress.advance(1);
    }
    progress.finish();
    summary.units = units.len();
    Ok(summary)
}
