//! 第6表 予定 and 実績, 第7表 with its subtotals and total, and the month's 利用者補足情報.

use std::collections::BTreeMap;

use fastrand::Rng;

use super::{Service, User, World, catalog, plans};
use crate::codec::Record;
use crate::codes::{ALL_NINES_OFFICE, GRAND_TOTAL_CODE};
use crate::filename::{FileName, MonthToken};
use crate::ids::{Date, FileSerial};
use crate::kind::FileKind;
use crate::layout::{schedule, sikyu};
use crate::services;
use crate::split::Part;

/// One occurrence of a service: a 第6表 line.
struct Occurrence<'a> {
    service: &'a Service,
    code: &'static str,
    equipment_name: &'static str,
    units: u32,
    day: Date,
    time: Option<(u16, u16)>,
}

/// Every occurrence of the person's services in the month, in day order.
fn occurrences<'u>(world: &World, user: &'u User) -> Vec<Occurrence<'u>> {
    let month = world.config.month;
    let mut out = Vec::new();
    for service in &user.services {
        let o = &service.offering;
        if service.weekdays.is_empty() {
            // Rentals are monthly; the standard still wants a サービス利用日 (the first day).
            out.push(Occurrence {
                service,
                code: o.code,
                equipment_name: o.name,
                units: o.units,
                day: month.day(1),
                time: None,
            });
            continue;
        }
        for d in 1..=month.days() {
            let day = month.day(d);
            if service.weekdays.contains(&day.weekday()) {
                out.push(Occurrence {
                    service,
                    code: o.code,
                    equipment_name: "",
                    units: o.units,
                    day,
                    time: o.time,
                });
                if let Some((code, _, units)) = o.addition {
                    out.push(Occurrence {
                        service,
                        code,
                        equipment_name: "",
                        units,
                        day,
                        time: o.time,
                    });
                }
            }
        }
    }
    out.sort_by_key(|o| (o.day, o.time.map_or(0, |t| t.0)));
    out
}

/// `HHMM` plus `minutes`, within the day.
fn later(hhmm: u16, minutes: u16) -> u16 {
    let total = (hhmm / 100 * 60 + hhmm % 100 + minutes).min(23 * 60 + 59);
    total / 60 * 100 + total % 60
}

fn hhmm(t: Option<u16>) -> String {
    t.map_or_else(|| crate::codes::NO_TIME.to_owned(), |t| format!("{t:04}"))
}

fn schedule_record(
    world: &World,
    planner: usize,
    user: &User,
    o: &Occurrence<'_>,
    actual: bool,
) -> Record {
    let provider = &world.providers[o.service.provider];
    let office = &world.planners[planner];
    let kind = FileKind::Schedule;
    let (mut r, l) = world.new_record(kind).expect("schedule exists");
    let rental = services::is_equipment_rental(&o.code[..2]);
    let created = if actual {
        world.config.month.next().day(2)
    } else {
        world.config.month.day(1).minus_days(5)
    };
    r.set(l, schedule::INSURER, user.person.insurer)
        .set(l, schedule::INSURED, &user.insured)
        .set(l, schedule::CREATED, created.to_string())
        .set(l, schedule::MONTH, world.config.month.to_string())
        .set(l, schedule::PLANNER_OFFICE, office.number.to_string())
        .set(l, schedule::PLANNER_NAME, &user.care_manager)
        .set(l, schedule::UNITS, o.units.to_string())
        .set(l, schedule::DAY, o.day.to_string())
        .set(l, schedule::START, hhmm(o.time.map(|t| t.0)))
        .set(l, schedule::END, hhmm(o.time.map(|t| t.1)))
        .set(l, schedule::COUNT, "1")
        .set(l, schedule::SERVICE_CODE, o.code)
        .set(l, schedule::PROVIDER, provider.number.to_string())
        .set(l, schedule::PROVIDER_NAME, &provider.name)
        .set(l, schedule::OVER30, "0")
        .set(
            l,
            schedule::UPDATER,
            if actual {
                provider.number.to_string()
            } else {
                office.number.to_string()
            },
        );
    if rental {
        r.set(l, schedule::TAIS, &o.service.tais).set(
            l,
            schedule::EQUIPMENT_NAME,
            o.equipment_name,
        );
    }
    r
}

/// Per service code of one provider and kind: units per occurrence, occurrences, the service.
type CodeLines<'a> = BTreeMap<&'a str, (u32, u32, &'a Service)>;

/// 第7表 for one person: a line per code, a 種類別小計 (AAAA) per provider and kind, and
/// the 全合計 (999999). Money follows the 単位数単価 of the kind.
fn sikyu_records(
    world: &World,
    planner: usize,
    user: &User,
    occurrences: &[Occurrence<'_>],
) -> Vec<Record> {
    let office = &world.planners[planner];
    let month = world.config.month.to_string();
    let created = world.config.month.day(1).minus_days(5).to_string();
    let mut groups: BTreeMap<(usize, &str), CodeLines<'_>> = BTreeMap::new();
    for o in occurrences {
        let entry = groups
            .entry((o.service.provider, &o.code[..2]))
            .or_default()
            .entry(o.code)
            .or_insert((o.units, 0, o.service));
        entry.1 += 1;
    }
    let base = |provider: Option<usize>| {
        let (mut r, l) = world.new_record(FileKind::Sikyu).expect("sikyu exists");
        r.set(l, sikyu::INSURER, user.person.insurer)
            .set(l, sikyu::INSURED, &user.insured)
            .set(l, sikyu::CREATED, created.clone())
            .set(l, sikyu::MONTH, month.clone())
            .set(l, sikyu::OVER30, "0")
            .set(l, sikyu::OFFICE_CODE, ALL_NINES_OFFICE)
            .set(l, sikyu::UPDATER, office.number.to_string());
        match provider {
            Some(p) => r
                .set(l, sikyu::PROVIDER, world.providers[p].number.to_string())
                .set(l, sikyu::PROVIDER_NAME, &world.providers[p].name),
            None => r.set(l, sikyu::PROVIDER, ALL_NINES_OFFICE),
        };
        (r, l)
    };
    let mut out = Vec::new();
    let (mut all_units, mut all_cost, mut all_claim) = (0u64, 0u64, 0u64);
    for ((provider, kind), codes) in &groups {
        let mut kind_units = 0u64;
        for (code, (units, count, service)) in codes {
            let total = *units as u64 * *count as u64;
            kind_units += total;
            let (mut r, l) = base(Some(*provider));
            r.set(l, sikyu::SERVICE_CODE, *code)
                .set(l, sikyu::UNITS, units.to_string())
                .set(l, sikyu::COUNT, count.to_string())
                .set(l, sikyu::SERVICE_UNITS, total.to_string())
                .set(l, sikyu::MANAGED_UNITS, total.to_string());
            if services::is_equipment_rental(kind) {
                r.set(l, sikyu::TAIS, &service.tais).set(
                    l,
                    sikyu::EQUIPMENT_NAME,
                    service.offering.name,
                );
            }
            out.push(r);
        }
        let price = catalog::unit_price(kind);
        let hundredths: u64 = price.replace('.', "").parse().unwrap_or(1000);
        let cost = kind_units * hundredths / 100;
        let claim = cost * 9 / 10;
        all_units += kind_units;
        all_cost += cost;
        all_claim += claim;
        let (mut r, l) = base(Some(*provider));
        r.set(l, sikyu::SERVICE_CODE, format!("{kind}AAAA"))
            .set(l, sikyu::UNITS, "0")
            .set(l, sikyu::COUNT, "0")
            .set(l, sikyu::SERVICE_UNITS, kind_units.to_string())
            .set(l, sikyu::MANAGED_UNITS, kind_units.to_string())
            .set(l, sikyu::KIND_WITHIN, kind_units.to_string())
            .set(l, sikyu::CLASS_WITHIN, kind_units.to_string())
            .set(l, sikyu::UNIT_PRICE, price)
            .set(l, sikyu::TOTAL_COST, cost.to_string())
            .set(l, sikyu::BENEFIT_RATE, "90")
            .set(l, sikyu::CLAIM, claim.to_string())
            .set(l, sikyu::USER_SHARE, (cost - claim).to_string());
        out.push(r);
    }
    let (mut r, l) = base(None);
    r.set(l, sikyu::SERVICE_CODE, GRAND_TOTAL_CODE)
        .set(l, sikyu::UNITS, "0")
        .set(l, sikyu::COUNT, "0")
        .set(l, sikyu::SERVICE_UNITS, all_units.to_string())
        .set(l, sikyu::CLASS_WITHIN, all_units.to_string())
        .set(l, sikyu::TOTAL_COST, all_cost.to_string())
        .set(l, sikyu::CLAIM, all_claim.to_string())
        .set(l, sikyu::USER_SHARE, (all_cost - all_claim).to_string());
    out.push(r);
    out
}

pub(super) fn parts(world: &World, planner: usize, serial: FileSerial) -> Vec<Part> {
    let mut schedules = Vec::new();
    let mut sikyus = Vec::new();
    let mut hosokus = Vec::new();
    let month = world.config.month.to_string();
    for user in world.users_of(planner).filter(|u| !u.services.is_empty()) {
        let occurrences = occurrences(world, user);
        schedules.extend(
            occurrences
                .iter()
                .map(|o| schedule_record(world, planner, user, o, false)),
        );
        sikyus.extend(sikyu_records(world, planner, user, &occurrences));
        hosokus.push(plans::hosoku_record(world, planner, user, Some(&month)));
    }
    let month = Some(MonthToken::Month(world.config.month));
    vec![
        Part {
            kind: FileKind::Schedule,
            month,
            serial,
            records: schedules,
        },
        Part {
            kind: FileKind::Sikyu,
            month,
            serial,
            records: sikyus,
        },
        Part {
            kind: FileKind::Hosoku,
            month,
            serial,
            records: hosokus,
        },
    ]
}

/// The provider's 実績 to each of its planners: its own lines only, as delivered — now
/// and then a visit cancelled, moved by a quarter of an hour, done as the neighbouring
/// service (身体介護２ as ３), or an extra visit on a day not planned: the differences the
/// care manager's 予定と実績の突合 has to find.
pub(super) fn actuals(world: &World, provider: usize) -> Vec<(FileName, Vec<Record>)> {
    let mut rng = Rng::with_seed(world.config.seed ^ ((provider as u64) << 24) ^ 0x2_0000);
    let office = &world.providers[provider];
    let mut out = Vec::new();
    // The people this provider serves, by planner, in the order of the world.
    let mut by_planner: BTreeMap<usize, Vec<&User>> = BTreeMap::new();
    for user in world
        .users
        .iter()
        .filter(|u| u.services.iter().any(|s| s.provider == provider))
    {
        by_planner.entry(user.planner).or_default().push(user);
    }
    for (planner, users) in by_planner {
        let planner_office = &world.planners[planner];
        let mut records = Vec::new();
        for user in users {
            let mut extras = Vec::new();
            for o in occurrences(world, user)
                .iter()
                .filter(|o| o.service.provider == provider)
            {
                if o.time.is_some() && rng.u8(..40) == 0 {
                    continue;
                }
                let l = world.layout(FileKind::Actual).expect("actual exists");
                let mut record = schedule_record(world, planner, user, o, true);
                if let Some((start, end)) = o.time
                    && rng.u8(..10) == 0
                    && end < 2300
                {
                    record
                        .set(l, schedule::START, hhmm(Some(later(start, 15))))
                        .set(l, schedule::END, hhmm(Some(later(end, 15))));
                } else if o.time.is_some()
                    && rng.u8(..50) == 0
                    && let Some((code, units)) = catalog::done_instead(o.code)
                {
                    record.set(l, schedule::SERVICE_CODE, code).set(
                        l,
                        schedule::UNITS,
                        units.to_string(),
                    );
                }
                let extra_day = (o.day.day() < world.config.month.days())
                    .then(|| world.config.month.day(o.day.day() + 1))
                    .filter(|next| !o.service.weekdays.contains(&next.weekday()));
                if let Some(next) = extra_day
                    && o.time.is_some()
                    && o.code == o.service.offering.code
                    && rng.u8(..60) == 0
                {
                    let mut extra = schedule_record(world, planner, user, o, true);
                    extra.set(l, schedule::DAY, next.to_string());
                    extras.push(extra);
                }
                records.push(record);
            }
            records.extend(extras);
        }
        if records.is_empty() {
            continue;
        }
        let day = world.config.month.next().day(3);
        let serial = FileSerial::at(
            day,
            10 * 3600 + (provider as u32 % 600) * 7 + planner as u32 % 7,
        );
        let mut name = FileName::v4(
            FileKind::Actual,
            Some(MonthToken::Month(world.config.month)),
            (office.number, office.kind),
            (planner_office.number, planner_office.kind),
            serial,
        );
        name.generation = world.config.generation;
        out.push((name, records));
    }
    out
}
