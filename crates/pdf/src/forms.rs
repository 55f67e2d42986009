//! One person's forms as PDF pages, in the order of the paper set: 第1表, 第2表, 第3表,
//! 第6表 (each month), 第7表 and 利用者補足情報 — the same items as the console's HTML.

use renkei_forms::PersonForms;
use renkei_forms::labels::WEEKDAYS;
use renkei_forms::month::{Allowance, MonthSheet};
use renkei_forms::plan::{BANDS, Plan1, Plan2Line, Weekly};
use renkei_forms::supplement::Supplement;

use renkei_spec::glossary::Reader;

use crate::Result;
use crate::font::JapaneseFont;
use crate::layout::{Cell, Sheets, Table};

/// The person's forms as a PDF, titled in `reader`'s words (利用票 or 提供票).
pub fn person(font: &JapaneseFont, person: &PersonForms, reader: Reader) -> Result<Vec<u8>> {
    let mut sheets = Sheets::new(font, running_head(person));
    draw(&mut sheets, person, reader);
    sheets.finish(&format!("{} 様の居宅サービス計画書等", person.name()))
}

/// Many people's forms in one PDF, each person from a new page with their name at the top
/// of every page: a month of one partner, or of the office, for its files or an inspection.
pub fn people(
    font: &JapaneseFont,
    people: &[PersonForms],
    reader: Reader,
    title: &str,
) -> Result<Vec<u8>> {
    let mut sheets = Sheets::new(font, "");
    for person in people {
        sheets.set_running_head(running_head(person));
        draw(&mut sheets, person, reader);
    }
    sheets.finish(title)
}

fn running_head(person: &PersonForms) -> String {
    format!(
        "{} 様（保険者番号 {} 被保険者番号 {}）",
        person.name(),
        person.insurer,
        person.insured
    )
}

/// Every form the person has, each from a new page.
fn draw(sheets: &mut Sheets<'_>, person: &PersonForms, reader: Reader) {
    if let Some(plan) = &person.plan1 {
        plan1(sheets, person, plan);
    }
    if !person.plan2.is_empty() {
        plan2(sheets, person, &person.plan2);
    }
    if let Some(week) = &person.weekly {
        weekly(sheets, week);
    }
    for sheet in &person.months {
        month(sheets, person, sheet, reader);
    }
    if let Some(allowance) = &person.allowance {
        allowance_sheet(sheets, allowance, reader);
    }
    if let Some(supplement) = &person.supplement {
        supplement_sheet(sheets, supplement);
    }
}

fn marks(options: &[&str], chosen: &str) -> String {
    options
        .iter()
        .map(|o| {
            if chosen.contains(o) {
                format!("【{o}】")
            } else {
                format!(" {o} ")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn plan1(sheets: &mut Sheets<'_>, person: &PersonForms, plan: &Plan1) {
    sheets.heading(
        "第1表",
        "居宅サービス計画書（1）",
        &format!("作成年月日 {}", plan.created),
    );
    sheets.line(
        9.0,
        &format!(
            "{}　　{}",
            marks(&["初回", "紹介", "継続"], &plan.plan_class),
            marks(&["認定済", "申請中"], &plan.cert_status)
        ),
    );
    let birth = person
        .supplement
        .as_ref()
        .map(|s| s.birth_date.clone())
        .unwrap_or_default();
    let mut table = Table::new(&[16.0, 20.0, 10.0, 16.0, 8.0, 30.0], 9.0);
    table.row(vec![
        Cell::label("利用者名"),
        Cell::text(format!("{} 殿", person.name())).bold(),
        Cell::label("生年月日"),
        Cell::text(birth),
        Cell::label("住所"),
        Cell::text(&plan.address),
    ]);
    table.row(vec![
        Cell::label("居宅サービス計画作成者氏名"),
        Cell::text(&plan.planner_name),
        Cell::label("事業者・事業所名及び所在地"),
        Cell::text(format!("{}（{}）", plan.office_name, plan.office)),
        Cell::label("所在地"),
        Cell::text(&plan.office_address),
    ]);
    table.row(vec![
        Cell::label("居宅サービス計画作成（変更）日"),
        Cell::text(&plan.plan_date),
        Cell::label("初回作成日"),
        Cell::text(&plan.first_plan_date),
        Cell::label("認定日"),
        Cell::text(&plan.cert_date),
    ]);
    table.row(vec![
        Cell::label("認定の有効期間"),
        Cell::text(format!("{} 〜 {}", plan.cert_from, plan.cert_to)),
        Cell::label("要介護状態区分"),
        Cell::text(&plan.care_level).bold(),
        Cell::label(""),
        Cell::text(""),
    ]);
    sheets.table(&table);
    let mut text = Table::new(&[22.0, 78.0], 9.0);
    for (label, value) in [
        (
            "利用者及び家族の生活に対する意向を踏まえた課題分析の結果",
            plan.intentions.as_str(),
        ),
        (
            "介護認定審査会の意見及びサービスの種類の指定",
            plan.board_opinion.as_str(),
        ),
        ("総合的な援助の方針", plan.policy.as_str()),
    ] {
        text.row(vec![Cell::label(label), Cell::text(value)]);
    }
    text.row(vec![
        Cell::label("生活援助中心型の算定理由"),
        Cell::text(format!(
            "{} {}",
            marks(
                &["一人暮らし", "家族等が障害、疾病等", "その他"],
                &plan.housework_reason
            ),
            plan.other_reason
        )),
    ]);
    sheets.table(&text);
}

fn plan2(sheets: &mut Sheets<'_>, person: &PersonForms, lines: &[Plan2Line]) {
    sheets.heading(
        "第2表",
        "居宅サービス計画書（2）",
        &format!("利用者名 {} 殿", person.name()),
    );
    let mut table = Table::new(
        &[15.0, 11.0, 7.0, 11.0, 7.0, 14.0, 3.0, 9.0, 10.0, 6.0, 7.0],
        8.0,
    )
    .header(&[
        "生活全般の解決すべき課題（ニーズ）",
        "長期目標",
        "（期間）",
        "短期目標",
        "（期間）",
        "サービス内容",
        "※1",
        "サービス種別",
        "※2",
        "頻度",
        "期間",
    ]);
    for line in lines {
        table.row(vec![
            Cell::text(&line.issue),
            Cell::text(&line.long_goal),
            Cell::text(&line.long_period),
            Cell::text(&line.short_goal),
            Cell::text(&line.short_period),
            Cell::text(&line.content),
            Cell::centered(if line.insured { "○" } else { "" }),
            Cell::text(&line.service_type),
            Cell::text(&line.provider_name),
            Cell::text(&line.frequency),
            Cell::text(&line.period),
        ]);
    }
    sheets.table(&table);
    sheets.line(
        7.5,
        "※1 保険給付の対象となるかどうかの区分（○ 対象）　※2 当該サービス提供を行う事業所",
    );
}

fn weekly(sheets: &mut Sheets<'_>, week: &Weekly) {
    sheets.heading(
        "第3表",
        "週間サービス計画表",
        &format!("作成年月日 {}", week.created),
    );
    let mut header = vec!["", "時間"];
    header.extend(WEEKDAYS);
    header.push("主な日常生活上の活動");
    let mut table = Table::new(
        &[4.0, 5.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0, 14.0],
        7.5,
    )
    .header(&header);
    for band in &BANDS {
        let mut row = vec![
            Cell::label(band.label),
            Cell::label(format!("{}:00", band.from)),
        ];
        for cell in week.cells(band) {
            let entries: Vec<String> = cell
                .iter()
                .map(|s| format!("{}–{} {}", s.start, s.end, s.service))
                .collect();
            row.push(Cell::text(entries.join("\n")));
        }
        row.push(Cell::text(week.activities_in(band).join("\n")));
        table.row(row);
    }
    sheets.table(&table);
    let mut other = Table::new(&[20.0, 80.0], 8.0);
    other.row(vec![
        Cell::label("週単位以外のサービス"),
        Cell::text(&week.non_weekly),
    ]);
    sheets.table(&other);
}

fn month(sheets: &mut Sheets<'_>, person: &PersonForms, sheet: &MonthSheet, reader: Reader) {
    sheets.heading(
        "第6表",
        &format!("{} {}分", sheet.source.title(reader), sheet.month_label()),
        &format!("作成年月日 {}", sheet.created),
    );
    let mut info = Table::new(&[10.0, 10.0, 10.0, 12.0, 10.0, 18.0, 12.0, 18.0], 8.5);
    info.row(vec![
        Cell::label("保険者番号"),
        Cell::text(&person.insurer),
        Cell::label("被保険者番号"),
        Cell::text(&person.insured),
        Cell::label("被保険者氏名"),
        Cell::text(person.name()).bold(),
        Cell::label("居宅介護支援事業者"),
        Cell::text(format!("{} {}", sheet.planner_office, sheet.planner_name)),
    ]);
    sheets.table(&info);
    let headings = sheet.day_headings();
    let mut widths = vec![6.0, 11.0, 11.0];
    widths.extend(std::iter::repeat_n(1.9, headings.len()));
    widths.push(3.5);
    let mut table = Table::new(&widths, 6.5);
    let mut top = vec![
        Cell::label("提供時間帯"),
        Cell::label("サービス内容"),
        Cell::label("サービス事業者"),
    ];
    top.extend(
        headings
            .iter()
            .map(|d| Cell::centered(format!("{}\n{}", d.day, d.weekday)).shaded(true)),
    );
    top.push(Cell::label("合計"));
    table.header = top;
    for line in &sheet.lines {
        let mut row = vec![
            Cell::text(if line.end.is_empty() {
                line.start.clone()
            } else {
                format!("{}–{}", line.start, line.end)
            }),
            Cell::text(if line.service_name.is_empty() {
                &line.service_code
            } else {
                &line.service_name
            }),
            Cell::text(&line.provider_name),
        ];
        row.extend(line.days.iter().map(|count| {
            Cell::centered(if *count > 0 {
                count.to_string()
            } else {
                String::new()
            })
        }));
        row.push(Cell::number(line.total().to_string()));
        table.row(row);
    }
    sheets.table(&table);
}

fn allowance_sheet(sheets: &mut Sheets<'_>, allowance: &Allowance, reader: Reader) {
    sheets.heading(
        "第7表",
        &format!(
            "{} {}分",
            renkei_spec::glossary::form_title(renkei_spec::FileKind::Sikyu, reader),
            allowance.month_label()
        ),
        &format!("作成年月日 {}", allowance.created),
    );
    let mut table = Table::new(
        &[
            10.0, 7.5, 9.0, 5.5, 4.5, 3.5, 6.0, 6.0, 6.0, 6.0, 6.0, 4.5, 6.0, 4.0, 6.0, 6.0, 6.0,
        ],
        6.5,
    )
    .header(&[
        "事業所名",
        "事業所番号",
        "サービス内容／種類",
        "サービスコード",
        "単位数",
        "回数",
        "サービス単位／金額",
        "種類支給限度基準を超える単位数",
        "種類支給限度基準内単位数",
        "区分支給限度基準を超える単位数",
        "区分支給限度基準内単位数",
        "単位数単価",
        "費用総額",
        "給付率(%)",
        "保険給付額",
        "利用者負担（保険対象分）",
        "利用者負担（全額負担分）",
    ]);
    for line in &allowance.lines {
        let shaded = line.total || line.subtotal;
        let mut row = vec![
            Cell::text(&line.provider_name),
            Cell::text(if line.total { "" } else { &line.provider }),
            Cell::text(&line.service_name),
            Cell::text(&line.service_code),
        ];
        row.extend(
            [
                &line.units,
                &line.count,
                &line.service_units,
                &line.kind_over,
                &line.kind_within,
                &line.class_over,
                &line.class_within,
                &line.unit_price,
                &line.total_cost,
                &line.benefit_rate,
                &line.claim,
                &line.user_share,
                &line.user_full_share,
            ]
            .into_iter()
            .map(|value| Cell::number(value.as_str())),
        );
        table.row(row.into_iter().map(|c| c.shaded(shaded)).collect());
    }
    sheets.table(&table);
}

fn supplement_sheet(sheets: &mut Sheets<'_>, s: &Supplement) {
    let title = if s.month.is_empty() {
        "利用者補足情報".to_owned()
    } else {
        format!("利用者補足情報 {}分", s.month)
    };
    sheets.heading("補足", &title, "");
    let mut table = Table::new(&[12.0, 22.0, 10.0, 20.0, 12.0, 24.0], 9.0);
    table.row(vec![
        Cell::label("フリガナ"),
        Cell::text(&s.kana),
        Cell::label("性別"),
        Cell::text(&s.sex),
        Cell::label("生年月日"),
        Cell::text(&s.birth_date),
    ]);
    table.row(vec![
        Cell::label("利用者氏名"),
        Cell::text(&s.name).bold(),
        Cell::label("郵便番号"),
        Cell::text(&s.zip),
        Cell::label("電話番号"),
        Cell::text(&s.phone),
    ]);
    table.row(vec![
        Cell::label("住所"),
        Cell::text(&s.address),
        Cell::label("要介護状態区分"),
        Cell::text(&s.care_level),
        Cell::label("認定状況・認定日"),
        Cell::text(format!("{} {}", s.cert_status, s.cert_date)),
    ]);
    table.row(vec![
        Cell::label("限度額適用期間"),
        Cell::text(format!("{} 〜 {}", s.limit_from, s.limit_to)),
        Cell::label("区分支給限度基準額"),
        Cell::number(format!("{} 単位", s.limit_units)),
        Cell::label("合計限度超単位数"),
        Cell::number(&s.over_limit_total),
    ]);
    sheets.table(&table);
    if !s.kinds.is_empty() {
        let mut kinds = Table::new(&[40.0, 20.0, 20.0, 20.0], 9.0).header(&[
            "サービス種類",
            "支給限度基準額",
            "合計単位数",
            "限度超単位数",
        ]);
        for k in &s.kinds {
            kinds.row(vec![
                Cell::text(format!("{} {}", k.kind, k.kind_name)),
                Cell::number(&k.limit),
                Cell::number(&k.units),
                Cell::number(&k.over),
            ]);
        }
        sheets.table(&kinds);
    }
}
