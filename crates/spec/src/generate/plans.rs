//! 居宅サービス計画書 第1表・第2表・第3表 and the plan-tied 利用者補足情報.

use fastrand::Rng;

use super::{Service, User, World, people};
use crate::codec::Record;
use crate::filename::MonthToken;
use crate::ids::FileSerial;
use crate::kind::FileKind;
use crate::layout::{hosoku, plan1, plan2, plan3};
use crate::services;
use crate::split::Part;

/// Free text as care managers write it: commas, quotes and line breaks included, because
/// the standard keeps them and importers must cope.
const INTENTIONS: &[&str] = &[
    "本人：住み慣れた自宅で、できるだけ自分のことは自分でしたい。\r\n家族（長女）：仕事があるため平日の日中は見守りが難しい。",
    "本人は\"家族に迷惑をかけたくない\"と話している。\r\n家族：転倒が心配なので、入浴は見守りがほしい。",
    "本人：足腰が弱ってきたが、週に一度は買い物に出かけたい。家族：通院の付き添いは続けたい。",
    "本人：デイサービスで友人と話すのが楽しみ。\r\n家族（妻）：夜間の排せつ介助で疲れている、休める時間がほしい。",
];
const POLICIES: &[&str] = &[
    "ご本人の「自分でできることは続けたい」という思いを大切にし、転倒を防ぎながら在宅生活を続けられるよう支援します。",
    "ご家族の介護負担を減らし、ご本人が安心して自宅で暮らせるよう、関係事業所と連携して支援します。\r\n緊急連絡先：長女（携帯）",
    "身体機能の維持・向上を図り、社会参加の機会を確保します。体調の変化があれば主治医と速やかに連絡を取ります。",
];
const ISSUES: &[(&str, &str, &str)] = &[
    (
        "一人での入浴が不安で、清潔を保てない",
        "自宅で安全に入浴できる",
        "週2回、見守りのもと入浴できる",
    ),
    (
        "足腰が弱り、屋内の移動で転びそうになる",
        "転倒せずに屋内を移動できる",
        "手すりや歩行器を使って安全に移動できる",
    ),
    (
        "調理や掃除が難しくなり、食事が偏りがち",
        "栄養のある食事をとり、体調を保てる",
        "週2回、調理の支援を受けられる",
    ),
    (
        "閉じこもりがちで、人と話す機会が少ない",
        "地域の人と交流し、生きがいを持って暮らせる",
        "週1回以上、通所で他者と交流できる",
    ),
];

pub(super) fn parts(world: &World, planner: usize, serial: FileSerial) -> Vec<Part> {
    let mut rng = Rng::with_seed(world.config.seed ^ ((planner as u64) << 20) ^ 0x1_0000);
    let mut plan1s = Vec::new();
    let mut plan2s = Vec::new();
    let mut plan3s = Vec::new();
    let mut hosokus = Vec::new();
    for user in world.users_of(planner).filter(|u| !u.services.is_empty()) {
        plan1s.push(plan1(world, planner, user, &mut rng));
        plan2s.extend(plan2(world, planner, user, &mut rng));
        plan3s.extend(plan3(world, user));
        hosokus.push(hosoku_record(world, planner, user, None));
    }
    let mut parts = vec![
        Part {
            kind: FileKind::Plan1,
            month: None,
            serial,
            records: plan1s,
        },
        Part {
            kind: FileKind::Plan2,
            month: None,
            serial,
            records: plan2s,
        },
    ];
    if world.layout(FileKind::Plan3).is_some() {
        parts.push(Part {
            kind: FileKind::Plan3,
            month: None,
            serial,
            records: plan3s,
        });
    }
    parts.push(Part {
        kind: FileKind::Hosoku,
        month: Some(MonthToken::Plan),
        serial,
        records: hosokus,
    });
    parts
}

fn plan1(world: &World, planner: usize, user: &User, rng: &mut Rng) -> Record {
    let office = &world.planners[planner];
    let (mut r, l) = world.new_record(FileKind::Plan1).expect("plan1 exists");
    let housework = user
        .services
        .iter()
        .any(|s| s.offering.name.starts_with("生活援助"));
    r.set(l, plan1::INSURER, user.person.insurer)
        .set(l, plan1::INSURED, &user.insured)
        .set(l, plan1::CREATED, user.plan_date.to_string())
        .set(l, plan1::ZIP, &user.person.zip)
        .set(l, plan1::ADDRESS1, &user.person.address1)
        .set(l, plan1::ADDRESS2, &user.person.address2)
        .set(l, plan1::PLANNER_NAME, &user.care_manager)
        .set(l, plan1::OFFICE_NAME, &office.name)
        .set(l, plan1::OFFICE_ZIP, &office.zip)
        .set(l, plan1::OFFICE_ADDRESS1, &office.address)
        .set(l, plan1::OFFICE, office.number.to_string())
        .set(l, plan1::PLAN_DATE, user.plan_date.to_string())
        .set(l, plan1::FIRST_PLAN_DATE, user.first_plan_date.to_string())
        .set(
            l,
            plan1::PLAN_CLASS,
            if user.first_plan_date == user.plan_date {
                "11"
            } else {
                "21"
            },
        )
        .set(l, plan1::CERT_STATUS, "2")
        .set(l, plan1::CERT_DATE, user.cert_date.to_string())
        .set(l, plan1::CERT_FROM, user.cert_from.to_string())
        .set(l, plan1::CERT_TO, user.cert_to.to_string())
        .set(l, plan1::CARE_LEVEL, user.care_level)
        .set(l, plan1::INTENTIONS, *people::pick(rng, INTENTIONS))
        .set(l, plan1::BOARD_OPINION, "特になし")
        .set(l, plan1::POLICY, *people::pick(rng, POLICIES))
        .set(l, plan1::HOUSEWORK_REASON, if housework { "1" } else { "" })
        .set(l, plan1::UPDATER, office.number.to_string());
    r
}

fn frequency(service: &Service) -> String {
    if service.weekdays.is_empty() {
        "毎日（貸与）".to_owned()
    } else {
        format!("週{}回", service.weekdays.len())
    }
}

fn plan2(world: &World, planner: usize, user: &User, rng: &mut Rng) -> Vec<Record> {
    let office = &world.planners[planner];
    let mut out = Vec::new();
    let period = format!("{}～{}", user.plan_date, user.cert_to);
    for (i, service) in user.services.iter().enumerate() {
        let (issue, long_goal, short_goal) = people::pick(rng, ISSUES);
        let provider = &world.providers[service.provider];
        let (mut r, l) = world.new_record(FileKind::Plan2).expect("plan2 exists");
        r.set(l, plan2::INSURER, user.person.insurer)
            .set(l, plan2::INSURED, &user.insured)
            .set(l, plan2::CREATED, user.plan_date.to_string())
            .set(l, plan2::PLAN_DATE, user.plan_date.to_string())
            .set(l, plan2::ISSUE_NO, (i + 1).to_string())
            .set(l, plan2::ISSUE, *issue)
            .set(l, plan2::GOAL_NO, "1")
            .set(l, plan2::LONG_GOAL, *long_goal)
            .set(l, plan2::SHORT_GOAL, *short_goal)
            .set(l, plan2::LONG_PERIOD, period.clone())
            .set(l, plan2::SHORT_PERIOD, period.clone())
            .set(l, plan2::CONTENT_NO, "1")
            .set(l, plan2::CONTENT, service.offering.name)
            .set(l, plan2::INSURED_SERVICE, "Y")
            .set(
                l,
                plan2::SERVICE_TYPE,
                services::kind_name(provider.kind.as_str()).unwrap_or(""),
            )
            .set(l, plan2::PROVIDER, provider.number.to_string())
            .set(l, plan2::PROVIDER_NAME, &provider.name)
            .set(l, plan2::FREQUENCY, frequency(service))
            .set(l, plan2::PERIOD, period.clone())
            .set(l, plan2::UPDATER, office.number.to_string());
        out.push(r);
    }
    // An informal support line: 保険対象外, no provider code, the issue carried forward blank.
    let (mut r, l) = world.new_record(FileKind::Plan2).expect("plan2 exists");
    r.set(l, plan2::INSURER, user.person.insurer)
        .set(l, plan2::INSURED, &user.insured)
        .set(l, plan2::CREATED, user.plan_date.to_string())
        .set(l, plan2::PLAN_DATE, user.plan_date.to_string())
        .set(l, plan2::ISSUE_NO, "1")
        .set(l, plan2::GOAL_NO, "1")
        .set(l, plan2::CONTENT_NO, "2")
        .set(l, plan2::CONTENT, "安否確認、通院の付き添い")
        .set(l, plan2::INSURED_SERVICE, "N")
        .set(l, plan2::SERVICE_TYPE, "家族")
        .set(l, plan2::PROVIDER_NAME, "長女")
        .set(l, plan2::FREQUENCY, "週末、月1回")
        .set(l, plan2::PERIOD, period)
        .set(l, plan2::UPDATER, office.number.to_string());
    out.push(r);
    out
}

fn time(t: u16) -> String {
    format!("{t:04}")
}

fn plan3(world: &World, user: &User) -> Vec<Record> {
    let mut out = Vec::new();
    let base = |world: &World| {
        let (mut r, l) = world.new_record(FileKind::Plan3)?;
        r.set(l, plan3::INSURER, user.person.insurer)
            .set(l, plan3::INSURED, &user.insured)
            .set(l, plan3::CREATED, user.plan_date.to_string())
            .set(l, plan3::PLAN_DATE, user.plan_date.to_string());
        Some((r, l))
    };
    for service in &user.services {
        let name =
            services::kind_name(world.providers[service.provider].kind.as_str()).unwrap_or("");
        match service.offering.time {
            Some((start, end)) => {
                for &day in &service.weekdays {
                    let Some((mut r, l)) = base(world) else {
                        return out;
                    };
                    r.set(l, plan3::SERVICE, name)
                        .set(l, plan3::WEEKDAY, day.to_string())
                        .set(l, plan3::SERVICE_START, time(start))
                        .set(l, plan3::SERVICE_END, time(end));
                    out.push(r);
                }
            }
            None => {
                let Some((mut r, l)) = base(world) else {
                    return out;
                };
                r.set(
                    l,
                    plan3::NON_WEEKLY,
                    format!("{name}（{}）", service.offering.name),
                );
                out.push(r);
            }
        }
    }
    for (activity, at) in [("起床", 600), ("昼食", 1200), ("就寝", 2100)] {
        let Some((mut r, l)) = base(world) else {
            return out;
        };
        r.set(l, plan3::ACTIVITY, activity)
            .set(l, plan3::ACTIVITY_START, time(at))
            .set(l, plan3::ACTIVITY_END, time(at));
        out.push(r);
    }
    out
}

/// 利用者補足情報: tied to the plan (`month` None) or to the month's 利用票.
pub(super) fn hosoku_record(
    world: &World,
    planner: usize,
    user: &User,
    month: Option<&str>,
) -> Record {
    let office = &world.planners[planner];
    let (mut r, l) = world.new_record(FileKind::Hosoku).expect("hosoku exists");
    let limit = super::catalog::limit_units(user.care_level);
    r.set(l, hosoku::INSURER, user.person.insurer)
        .set(l, hosoku::INSURED, &user.insured)
        .set(
            l,
            hosoku::PLAN_DATE,
            if month.is_some() {
                "00000000".to_owned()
            } else {
                user.plan_date.to_string()
            },
        )
        .set(l, hosoku::NAME_KANA, &user.person.kana)
        .set(l, hosoku::NAME, &user.person.name)
        .set(l, hosoku::SEX, user.person.sex)
        .set(l, hosoku::BIRTH_DATE, user.birth.to_string())
        .set(l, hosoku::ZIP, &user.person.zip)
        .set(l, hosoku::ADDRESS1, &user.person.address1)
        .set(l, hosoku::ADDRESS2, &user.person.address2)
        .set(l, hosoku::PHONE, &user.person.phone)
        .set(l, hosoku::CERT_DATE, user.cert_date.to_string())
        .set(l, hosoku::LIMIT_FROM, user.cert_from.to_string())
        .set(l, hosoku::LIMIT_TO, user.cert_to.to_string())
        .set(l, hosoku::CERT_STATUS, "2")
        .set(l, hosoku::CARE_LEVEL, user.care_level)
        .set(l, hosoku::LIMIT_UNITS, limit.to_string())
        .set(l, hosoku::UPDATER, office.number.to_string())
        .set(l, hosoku::MONTH, month.unwrap_or("000000"));
    r
}
