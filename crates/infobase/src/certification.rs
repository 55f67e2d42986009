//! 要介護認定: an application (新規・更新・区分変更) and how far it has come, 受付 to
//! 結果通知. Each step the municipality records is a new version of the application, so
//! the history of the progress is kept as everything else is.

use serde::{Deserialize, Serialize};

/// The steps of a certification, in order.
pub const STEPS: [&str; 6] = [
    "受付",
    "認定調査",
    "主治医意見書",
    "一次判定",
    "審査会",
    "結果通知",
];

/// An application as recorded: its kind, date, and the steps done with their dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    /// 新規, 更新 or 区分変更.
    pub kind: String,
    /// `YYYYMMDD`.
    pub date: String,
    /// Steps done, by name, with their dates.
    #[serde(default)]
    pub steps: Vec<(String, String)>,
}

/// A step as a progress view shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepState {
    pub name: &'static str,
    /// The date it was done, or `None` while it waits.
    pub done: Option<String>,
    /// The first step not done yet.
    pub current: bool,
}

impl Application {
    /// Whether `kind` is one of the three the law knows.
    pub fn kind_is_valid(&self) -> bool {
        matches!(self.kind.as_str(), "新規" | "更新" | "区分変更")
    }

    /// Every step in order, done or waiting; the first waiting one is current.
    pub fn progress(&self) -> Vec<StepState> {
        let mut current_set = false;
        STEPS
            .iter()
            .map(|name| {
                let done = self
                    .steps
                    .iter()
                    .find(|(step, _)| step == name)
                    .map(|(_, date)| date.clone());
                let current = done.is_none() && !current_set;
                current_set |= current;
                StepState {
                    name,
                    done,
                    current,
                }
            })
            .collect()
    }

    /// Record `step` as done on `date`; a step out of order or unknown is refused with what
    /// should come first.
    pub fn advance(&mut self, step: &str, date: &str) -> Result<(), String> {
        let Some(at) = STEPS.iter().position(|s| *s == step) else {
            return Err(format!(
                "「{step}」は認定の手順にありません。{} のいずれかです / unknown step",
                STEPS.join("・")
            ));
        };
        if let Some(missing) = STEPS[..at]
            .iter()
            .find(|s| !self.steps.iter().any(|(done, _)| done == *s))
        {
            return Err(format!(
                "「{step}」の前に「{missing}」を記録してください / record '{missing}' first"
            ));
        }
        self.steps.retain(|(done, _)| done != step);
        self.steps.push((step.to_owned(), date.to_owned()));
        Ok(())
    }
}

/// 要介護状態区分 as the standard codes them.
pub const CARE_LEVELS: [(&str, &str); 9] = [
    ("01", "非該当"),
    ("12", "要支援１"),
    ("13", "要支援２"),
    ("21", "要介護１"),
    ("22", "要介護２"),
    ("23", "要介護３"),
    ("24", "要介護４"),
    ("25", "要介護５"),
    ("06", "事業対象者"),
];

/// The code of a care level given as its code (`22`) or its name (`要介護２`, `要介護2`).
pub fn care_level_code(text: &str) -> Option<&'static str> {
    let normal: String = text
        .chars()
        .map(|c| match c {
            '1'..='5' => char::from_u32(c as u32 - '1' as u32 + '１' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    CARE_LEVELS
        .iter()
        .find(|(code, name)| *code == text || *name == normal)
        .map(|(code, _)| *code)
}

/// The name of a care level's code: `22` is 要介護２.
pub fn care_level_name(code: &str) -> Option<&'static str> {
    CARE_LEVELS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_come_in_order_and_the_first_waiting_is_current() {
        let mut application = Application {
            kind: "新規".into(),
            date: "20260401".into(),
            steps: Vec::new(),
        };
        application.advance("受付", "20260401").unwrap();
        application.advance("認定調査", "20260410").unwrap();
        let error = application.advance("審査会", "20260501").unwrap_err();
        assert!(error.contains("主治医意見書"), "{error}");
        let progress = application.progress();
        assert_eq!(progress[1].done.as_deref(), Some("20260410"));
        assert!(progress[2].current && !progress[3].current);
        assert!(application.advance("審査", "20260501").is_err());
        assert!(application.kind_is_valid());
    }
}
