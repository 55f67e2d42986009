//! Fictional people, places and offices. Names are common surnames and given names
//! combined at random; addresses are real town names with made-up block numbers. None of
//! it describes a real person.

use fastrand::Rng;

pub const SURNAMES: &[(&str, &str)] = &[
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("山口", "ヤマグチ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("斎藤", "サイトウ"),
    ("清水", "シミズ"),
    ("山崎", "ヤマザキ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("阿部", "アベ"),
    ("石川", "イシカワ"),
    ("前田", "マエダ"),
    ("藤田", "フジタ"),
    ("小川", "オガワ"),
    ("岡田", "オカダ"),
];

pub const WOMEN: &[(&str, &str)] = &[
    ("ハナ", "ハナ"),
    ("トミ", "トミ"),
    ("キヨ", "キヨ"),
    ("文子", "フミコ"),
    ("和子", "カズコ"),
    ("幸子", "サチコ"),
    ("節子", "セツコ"),
    ("美代子", "ミヨコ"),
    ("久子", "ヒサコ"),
    ("静江", "シズエ"),
    ("千代", "チヨ"),
    ("光子", "ミツコ"),
    ("敏子", "トシコ"),
    ("ミチ子", "ミチコ"),
    ("澄江", "スミエ"),
];

pub const MEN: &[(&str, &str)] = &[
    ("茂", "シゲル"),
    ("清", "キヨシ"),
    ("勇", "イサム"),
    ("正雄", "マサオ"),
    ("博", "ヒロシ"),
    ("実", "ミノル"),
    ("武", "タケシ"),
    ("一郎", "イチロウ"),
    ("昭二", "ショウジ"),
    ("三郎", "サブロウ"),
    ("和夫", "カズオ"),
    ("秀夫", "ヒデオ"),
    ("義雄", "ヨシオ"),
    ("進", "ススム"),
    ("忠", "タダシ"),
];

/// Municipalities used for addresses: (保険者番号, 市区町村, towns).
pub const PLACES: &[(&str, &str, &[&str])] = &[
    ("131045", "東京都新宿区", &["西新宿", "高田馬場", "神楽坂"]),
    ("131128", "東京都世田谷区", &["三軒茶屋", "桜新町", "成城"]),
    (
        "132019",
        "東京都八王子市",
        &["元本郷町", "横山町", "北野町"],
    ),
    ("132080", "東京都調布市", &["布田", "国領町", "深大寺元町"]),
    ("132102", "東京都小金井市", &["本町", "緑町", "貫井北町"]),
];

pub const PROVIDER_NAMES: &[&str] = &[
    "さくら",
    "ひまわり",
    "あおば",
    "みどり",
    "こもれび",
    "すずらん",
    "わかば",
    "つばき",
    "かえで",
    "なごみ",
];

pub fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

pub struct Person {
    pub name: String,
    pub kana: String,
    pub sex: &'static str,
    pub insurer: &'static str,
    pub address1: String,
    pub address2: String,
    pub zip: String,
    pub phone: String,
}

pub fn person(rng: &mut Rng) -> Person {
    let (surname, surname_kana) = pick(rng, SURNAMES);
    let woman = rng.u8(..100) < 65;
    let (given, given_kana) = pick(rng, if woman { WOMEN } else { MEN });
    let (insurer, city, towns) = pick(rng, PLACES);
    Person {
        name: format!("{surname}　{given}"),
        kana: format!("{surname_kana}　{given_kana}"),
        sex: if woman { "2" } else { "1" },
        insurer,
        address1: format!(
            "{city}{}{}丁目{}番{}号",
            pick(rng, towns),
            rng.u8(1..6),
            rng.u8(1..30),
            rng.u8(1..20)
        ),
        address2: if rng.u8(..4) == 0 {
            format!("グリーンハイツ{}号室", rng.u16(101..410))
        } else {
            String::new()
        },
        zip: format!("1{:02}-{:04}", rng.u8(..100), rng.u16(..10_000)),
        phone: format!(
            "0{}-{:04}-{:04}",
            rng.u8(3..5) * 10 + 2,
            rng.u16(..10_000),
            rng.u16(..10_000)
        ),
    }
}
