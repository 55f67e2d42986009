//! 介護予防: 利用者基本情報 (with 別表1 and 別表2) and 介護予防サービス・支援計画書 (with its
//! 別表), sent by a 地域包括支援センター as one unit (§3.2 (2)).

use super::{User, World};
use crate::codec::Record;
use crate::ids::FileSerial;
use crate::kind::FileKind;
use crate::layout::{kihon, kihon_sub1, kihon_sub2, yobo, yobo_sub};
use crate::services;
use crate::split::Part;

pub(super) fn parts(world: &World, planner: usize, serial: FileSerial) -> Vec<Part> {
    if world.layout(FileKind::Kihon).is_none() {
        return Vec::new();
    }
    let mut parts: Vec<Part> = [
        FileKind::Kihon,
        FileKind::KihonSub1,
        FileKind::KihonSub2,
        FileKind::Yobo,
        FileKind::YoboSub,
    ]
    .into_iter()
    .map(|kind| Part {
        kind,
        month: None,
        serial,
        records: Vec::new(),
    })
    .collect();
    for user in world.users_of(planner).filter(|u| !u.services.is_empty()) {
        parts[0].records.push(kihon_record(world, user));
        parts[1].records.extend(sub1(world, user));
        parts[2].records.push(sub2(world, user));
        parts[3].records.push(yobo_record(world, planner, user));
        parts[4].records.extend(yobo_subs(world, user));
    }
    parts
}

fn keyed(world: &World, kind: FileKind, user: &User) -> (Record, &'static crate::layout::Layout) {
    let (mut r, l) = world.new_record(kind).expect("V4 kinds exist");
    let date = if matches!(kind, FileKind::Yobo | FileKind::YoboSub) {
        user.plan_date
    } else {
        consult_date(user)
    };
    r.set(l, kihon::INSURER, user.person.insurer)
        .set(l, kihon::INSURED, &user.insured)
        .set(l, kihon::CONSULT_DATE, date.to_string());
    (r, l)
}

fn consult_date(user: &User) -> crate::ids::Date {
    user.plan_date.minus_days(7)
}

/// 要介護状態区分 of 利用者基本情報, where 事業対象者 is written `01` (非該当).
fn kihon_level(care_level: &str) -> &str {
    if care_level == "06" { "01" } else { care_level }
}

fn kihon_record(world: &World, user: &User) -> Record {
    let (mut r, l) = keyed(world, FileKind::Kihon, user);
    r.set(
        l,
        kihon::PLAN_TYPE,
        if user.care_level == "06" { "2" } else { "1" },
    )
    .set(l, kihon::ENTRUSTED, "1")
    .set(l, kihon::AUTHOR, &user.care_manager)
    .set(l, kihon::CONSULT_METHOD, "01")
    .set(l, kihon::CONSULT_COUNT, "02")
    .set(l, kihon::NAME_KANA, &user.person.kana)
    .set(l, kihon::NAME, &user.person.name)
    .set(l, kihon::SEX, user.person.sex)
    .set(l, kihon::BIRTH_DATE, user.birth.to_string())
    .set(
        l,
        kihon::ADDRESS,
        format!("{}{}", user.person.address1, user.person.address2),
    )
    .set(l, kihon::PHONE, &user.person.phone)
    .set(l, kihon::CARE_LEVEL, kihon_level(user.care_level))
    .set(l, kihon::CERT_FROM, user.cert_from.to_string())
    .set(l, kihon::CERT_TO, user.cert_to.to_string())
    .set(l, kihon::EMERGENCY1_NAME, "長女")
    .set(
        l,
        kihon::FAMILY,
        "長女が近所に住み、週末に訪問している。\r\n夫とは死別。",
    )
    .set(
        l,
        kihon::LIFE_HISTORY,
        "商店を営み、70歳で引退。町内会の役員を長く務めた。",
    )
    .set(
        l,
        kihon::DAILY_LIFE,
        "日中は居間で過ごすことが多い。午後に近所を散歩する。",
    )
    .set(l, kihon::HOBBIES, "園芸、俳句")
    .set(l, kihon::CONSENT_DATE, consult_date(user).to_string())
    .set(l, kihon::CONSENT_NAME, &user.person.name);
    r
}

fn sub1(world: &World, user: &User) -> Vec<Record> {
    [
        ("6:00", "起床、身支度", ""),
        ("12:00", "昼食（配食サービス）", ""),
        ("18:00", "夕食", "長女が週末に調理"),
    ]
    .iter()
    .map(|(time, self_life, family)| {
        let (mut r, l) = keyed(world, FileKind::KihonSub1, user);
        r.set(l, kihon_sub1::TIME, *time)
            .set(l, kihon_sub1::SELF, *self_life)
            .set(l, kihon_sub1::FAMILY, *family);
        r
    })
    .collect()
}

fn sub2(world: &World, user: &User) -> Record {
    let (mut r, l) = keyed(world, FileKind::KihonSub2, user);
    r.set(l, kihon_sub2::WHEN, "R2年4月")
        .set(l, kihon_sub2::DISEASE, "変形性膝関節症")
        .set(l, kihon_sub2::DOCTOR, "架空整形外科クリニック　山田医師")
        .set(l, kihon_sub2::ATTENDING, "1")
        .set(l, kihon_sub2::DOCTOR_PHONE, "03-0000-0000")
        .set(l, kihon_sub2::COURSE, "01")
        .set(l, kihon_sub2::TREATMENT, "内服、月1回通院");
    r
}

fn yobo_record(world: &World, planner: usize, user: &User) -> Record {
    let office = &world.planners[planner];
    let (mut r, l) = keyed(world, FileKind::Yobo, user);
    let support = match user.care_level {
        "12" => "1",
        "13" => "2",
        _ => "3",
    };
    r.set(
        l,
        yobo::PLAN_TYPE,
        if user.care_level == "06" { "2" } else { "1" },
    )
    .set(l, yobo::ENTRUSTED, "1")
    .set(l, yobo::NAME, &user.person.name)
    .set(l, yobo::CERT_DATE, user.cert_date.to_string())
    .set(l, yobo::CERT_FROM, user.cert_from.to_string())
    .set(l, yobo::CERT_TO, user.cert_to.to_string())
    .set(l, yobo::PLAN_CLASS, "21")
    .set(l, yobo::CERT_STATUS, "2")
    .set(l, yobo::SUPPORT_LEVEL, support)
    .set(l, yobo::CENTER_STAFF, &user.care_manager)
    .set(l, yobo::OFFICE_NAME, &office.name)
    .set(l, yobo::OFFICE_ADDRESS, &office.address)
    .set(l, yobo::OFFICE_PHONE, &office.phone)
    .set(l, yobo::FIRST_PLAN_DATE, user.first_plan_date.to_string())
    .set(l, yobo::CENTER, &office.name)
    .set(l, yobo::GOAL_DAY, "午後に近所を散歩し、季節の花を楽しむ")
    .set(l, yobo::GOAL_YEAR, "孫の結婚式に、自分の足で出席する")
    .set(l, yobo::MOBILITY_NOW, "屋内は伝い歩き、屋外は杖を使用。")
    .set(
        l,
        yobo::MOBILITY_WISH,
        "本人：転ばずに歩けるようになりたい。",
    )
    .set(l, yobo::MOBILITY_ISSUE, "1")
    .set(
        l,
        yobo::MOBILITY_BACKGROUND,
        "膝の痛みで歩く機会が減り、筋力が低下している。",
    )
    .set(
        l,
        yobo::OVERALL_POLICY,
        "膝の痛みに配慮しながら運動の機会を確保し、外出の楽しみを取り戻す。",
    )
    .set(l, yobo::CHECKLIST_EXERCISE, "3")
    .set(l, yobo::PROGRAM_EXERCISE, "1")
    .set(l, yobo::CONSENT_DATE, user.plan_date.to_string())
    .set(l, yobo::CONSENT_NAME, &user.person.name);
    r
}

fn yobo_subs(world: &World, user: &User) -> Vec<Record> {
    user.services
        .iter()
        .enumerate()
        .map(|(i, service)| {
            let provider = &world.providers[service.provider];
            let (mut r, l) = keyed(world, FileKind::YoboSub, user);
            r.set(l, yobo_sub::ISSUE_NO, "1")
                .set(l, yobo_sub::SUPPORT_NO, "1")
                .set(l, yobo_sub::SERVICE_NO, (i + 1).to_string())
                .set(
                    l,
                    yobo_sub::SERVICE_TYPE,
                    services::kind_name(provider.kind.as_str()).unwrap_or(""),
                )
                .set(l, yobo_sub::PROVIDER, &provider.name)
                .set(
                    l,
                    yobo_sub::PERIOD,
                    format!("{}～{}", user.plan_date, user.cert_to),
                );
            if i == 0 {
                // Items of the 課題 and 支援計画 stand on their first line only (§6.10).
                r.set(l, yobo_sub::ISSUE, "膝の痛みにより外出の機会が減っている")
                    .set(l, yobo_sub::PROPOSAL, "運動の機会を作り、下肢筋力を保つ")
                    .set(l, yobo_sub::WISH, "本人：通所で体操をしたい")
                    .set(l, yobo_sub::GOAL, "週1回、通所で運動を続ける")
                    .set(
                        l,
                        yobo_sub::POINT,
                        "痛みの程度を確認しながら無理のない運動を行う",
                    )
                    .set(l, yobo_sub::INFORMAL, "長女が週末に買い物に同行する")
                    .set(
                        l,
                        yobo_sub::FORMAL,
                        "通所型サービスでの運動、福祉用具の貸与",
                    );
            }
            r
        })
        .collect()
}
