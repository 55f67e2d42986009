//! Fictional insured people of one municipality for the information base: their 被保険者証,
//! 負担割合, a certification application and its result. Deterministic for a seed; the
//! people are made one at a time, so a million cost no more memory than one.

use fastrand::Rng;

use super::people;

/// One insured person as the municipality's files carry them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insured {
    pub insurer: String,
    /// 被保険者番号: ten digits, unique within the municipality.
    pub insured: String,
    pub name: String,
    pub kana: String,
    /// `YYYYMMDD`.
    pub birth_date: String,
    /// `1` man, `2` woman.
    pub sex: &'static str,
    pub address: String,
    /// 資格取得日: the 65th birthday.
    pub qualified: String,
    /// 負担割合 (1–3).
    pub ratio: u8,
    /// 新規, 更新 or 区分変更.
    pub application_kind: &'static str,
    pub application_date: String,
    /// The result's 要介護状態区分 code (`12` … `25`).
    pub care_level: &'static str,
    pub valid_from: String,
    pub valid_to: String,
}

const LEVELS: [&str; 7] = ["12", "13", "21", "22", "23", "24", "25"];
const KINDS: [&str; 3] = ["新規", "更新", "区分変更"];

/// `count` insured people of `insurer`, numbered from 0000000001, for `seed`.
pub fn insured(seed: u64, insurer: &str, count: usize) -> impl Iterator<Item = Insured> + '_ {
    let mut rng = Rng::with_seed(seed ^ 0x494e_5355_5245_4400);
    (0..count).map(move |i| {
        let person = people::person(&mut rng);
        let birth_year = 1930 + rng.u32(..25);
        let (month, day) = (rng.u32(1..13), rng.u32(1..29));
        let application_month = rng.u32(1..13);
        let application_day = rng.u32(1..29);
        let level = LEVELS[rng.usize(..LEVELS.len())];
        let ratio = match rng.u8(..100) {
            0..=79 => 1,
            80..=91 => 2,
            _ => 3,
        };
        Insured {
            insurer: insurer.to_owned(),
            insured: format!("{:010}", i + 1),
            name: person.name,
            kana: person.kana,
            birth_date: format!("{birth_year}{month:02}{day:02}"),
            sex: person.sex,
            address: format!("{}{}", person.address1, person.address2),
            qualified: format!("{}{month:02}{day:02}", birth_year + 65),
            ratio,
            application_kind: KINDS[rng.usize(..KINDS.len())],
            application_date: format!("2025{application_month:02}{application_day:02}"),
            care_level: level,
            valid_from: format!("2025{application_month:02}01"),
            valid_to: format!("2027{application_month:02}01"),
        }
    })
}
