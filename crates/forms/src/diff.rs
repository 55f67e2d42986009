//! What changed between two versions of a person's forms: each item of 第1表 and 補足 that
//! differs, and the lines of the other forms that were removed or added.

use crate::PersonForms;

/// One difference. `before` is empty for a line added, `after` for a line removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub form: &'static str,
    pub item: String,
    pub before: String,
    pub after: String,
}

/// The single-valued items of a person's forms, by form and item name.
fn items(person: &PersonForms) -> Vec<(&'static str, &'static str, String)> {
    let mut items = Vec::new();
    if let Some(p) = &person.plan1 {
        for (name, value) in [
            ("作成年月日", &p.created),
            ("住所", &p.address),
            ("居宅サービス計画作成者氏名", &p.planner_name),
            ("居宅介護支援事業者・事業所名", &p.office_name),
            ("居宅サービス計画作成（変更）日", &p.plan_date),
            ("初回居宅サービス計画作成日", &p.first_plan_date),
            ("計画書区分", &p.plan_class),
            ("認定状況", &p.cert_status),
            ("認定日", &p.cert_date),
            ("認定有効期間の開始", &p.cert_from),
            ("認定有効期間の終了", &p.cert_to),
            ("要介護状態区分", &p.care_level),
            ("課題分析の結果", &p.intentions),
            (
                "介護認定審査会の意見及びサービスの種類の指定",
                &p.board_opinion,
            ),
            ("総合的な援助の方針", &p.policy),
            ("生活援助中心型の算定理由", &p.housework_reason),
        ] {
            items.push(("第1表", name, value.clone()));
        }
    }
    if let Some(s) = &person.supplement {
        for (name, value) in [
            ("利用者氏名", &s.name),
            ("フリガナ", &s.kana),
            ("住所", &s.address),
            ("電話番号", &s.phone),
            ("要介護状態区分", &s.care_level),
            ("区分支給限度基準額", &s.limit_units),
            ("合計限度超単位数", &s.over_limit_total),
        ] {
            items.push(("補足", name, value.clone()));
        }
    }
    items
}

/// The line forms, each line as the text a reader compares.
fn lines(person: &PersonForms) -> Vec<(&'static str, String)> {
    let mut lines = Vec::new();
    for l in &person.plan2 {
        lines.push((
            "第2表",
            [
                l.issue.as_str(),
                &l.long_goal,
                &l.short_goal,
                &l.content,
                &l.service_type,
                &l.provider_name,
                &l.frequency,
                &l.period,
            ]
            .iter()
            .filter(|t| !t.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" / "),
        ));
    }
    if let Some(w) = &person.weekly {
        for s in &w.services {
            lines.push((
                "第3表",
                format!(
                    "{} {}–{} {}",
                    crate::labels::WEEKDAYS[s.weekday],
                    s.start,
                    s.end,
                    s.service
                ),
            ));
        }
    }
    for sheet in &person.months {
        for l in &sheet.lines {
            let days: Vec<String> = l
                .days
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(d, n)| {
                    if *n > 1 {
                        format!("{}日×{n}", d + 1)
                    } else {
                        format!("{}日", d + 1)
                    }
                })
                .collect();
            lines.push((
                "第6表",
                format!(
                    "{}{} {} {}–{} {}（{}回）: {}",
                    sheet.source.label(),
                    sheet.month_label(),
                    l.provider_name,
                    l.start,
                    l.end,
                    if l.service_name.is_empty() {
                        &l.service_code
                    } else {
                        &l.service_name
                    },
                    l.total(),
                    days.join(" ")
                ),
            ));
        }
    }
    if let Some(a) = &person.allowance {
        for l in &a.lines {
            lines.push((
                "第7表",
                format!(
                    "{} {} {} 単位数{} 回数{} 費用総額{}",
                    l.provider_name,
                    l.service_code,
                    l.service_name,
                    l.service_units,
                    l.count,
                    l.total_cost
                ),
            ));
        }
    }
    lines
}

/// The changes from `before` to `after`, in the order of the forms.
pub fn changes(before: &PersonForms, after: &PersonForms) -> Vec<Change> {
    let mut changes = Vec::new();
    let old = items(before);
    let new = items(after);
    for (form, item, value) in &new {
        let previous = old
            .iter()
            .find(|(f, i, _)| f == form && i == item)
            .map(|(_, _, v)| v.as_str())
            .unwrap_or("");
        if previous != value {
            changes.push(Change {
                form,
                item: (*item).to_owned(),
                before: previous.to_owned(),
                after: value.clone(),
            });
        }
    }
    // An item of `before` that `after` lacks is of a form `after` came without (a plan sent
    // again without its 補足): not a deletion, so not a change.
    // Lines compare as multisets: a line kept is matched once, whatever its position.
    let mut old_lines = lines(before);
    let new_lines = lines(after);
    // The forms the new version carries lines of: a form it lacks removed nothing.
    let carried: Vec<&str> = new_lines.iter().map(|(form, _)| *form).collect();
    let mut added = Vec::new();
    for line in new_lines {
        match old_lines.iter().position(|l| *l == line) {
            Some(at) => {
                old_lines.remove(at);
            }
            None => added.push(line),
        }
    }
    for (form, text) in old_lines.into_iter().filter(|(f, _)| carried.contains(f)) {
        changes.push(Change {
            form,
            item: "削除された行".into(),
            before: text,
            after: String::new(),
        });
    }
    for (form, text) in added {
        changes.push(Change {
            form,
            item: "追加された行".into(),
            before: String::new(),
            after: text,
        });
    }
    let order = ["第1表", "第2表", "第3表", "第6表", "第7表", "補足"];
    changes.sort_by_key(|c| order.iter().position(|f| *f == c.form));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Plan1, Plan2Line};

    #[test]
    fn changed_items_and_lines_are_listed() {
        let before = PersonForms {
            plan1: Some(Plan1 {
                care_level: "要介護１".into(),
                policy: "自宅で暮らし続ける".into(),
                ..Plan1::default()
            }),
            plan2: vec![
                Plan2Line {
                    content: "入浴介助".into(),
                    ..Plan2Line::default()
                },
                Plan2Line {
                    content: "通所介護".into(),
                    ..Plan2Line::default()
                },
            ],
            ..PersonForms::default()
        };
        let mut after = before.clone();
        after.plan1.as_mut().unwrap().care_level = "要介護２".into();
        after.plan2[1].content = "通所リハビリテーション".into();
        let changes = changes(&before, &after);
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(
            (
                changes[0].item.as_str(),
                changes[0].before.as_str(),
                changes[0].after.as_str()
            ),
            ("要介護状態区分", "要介護１", "要介護２")
        );
        assert_eq!(changes[1].before, "通所介護");
        assert_eq!(changes[2].after, "通所リハビリテーション");
        assert!(super::changes(&after, &after).is_empty());
    }

    #[test]
    fn a_version_without_its_supplement_deletes_nothing() {
        let before = PersonForms {
            supplement: Some(crate::supplement::Supplement {
                name: "架空 花子".into(),
                address: "東京都新宿区西新宿二丁目8番1号".into(),
                ..Default::default()
            }),
            plan2: vec![Plan2Line {
                content: "入浴介助".into(),
                ..Plan2Line::default()
            }],
            plan1: Some(Plan1::default()),
            ..PersonForms::default()
        };
        let after = PersonForms {
            plan1: Some(Plan1 {
                policy: "自宅で暮らし続ける".into(),
                ..Plan1::default()
            }),
            ..PersonForms::default()
        };
        let changes = changes(&before, &after);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].item, "総合的な援助の方針");
    }
}
