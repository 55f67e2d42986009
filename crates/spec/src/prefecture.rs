//! 都道府県: the JIS X 0401 codes that also open every 介護保険事業所番号 and 保険者番号.

/// Names in code order: `NAMES[0]` is code 01.
pub const NAMES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The name of prefecture `code` (1–47).
pub fn name(code: u8) -> Option<&'static str> {
    NAMES.get(usize::from(code).checked_sub(1)?).copied()
}

/// The code of a prefecture given as its code (`13`, `7`) or its name, with or without
/// 都・道・府・県 (`東京都`, `東京`).
pub fn code(text: &str) -> Option<u8> {
    let text = text.trim();
    if let Ok(number) = text.parse::<u8>() {
        return (1..=47).contains(&number).then_some(number);
    }
    let position = NAMES.iter().position(|name| {
        *name == text
            || (name.len() > text.len()
                && name.starts_with(text)
                && matches!(&name[text.len()..], "都" | "道" | "府" | "県"))
    })?;
    u8::try_from(position + 1).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_and_codes_meet() {
        assert_eq!(super::code("13"), Some(13));
        assert_eq!(super::code("東京都"), Some(13));
        assert_eq!(super::code("東京"), Some(13));
        assert_eq!(super::code("北海道"), Some(1));
        assert_eq!(super::code("京都"), Some(26));
        assert_eq!(super::code("沖縄県"), Some(47));
        assert_eq!(super::code("48"), None);
        assert_eq!(super::code("東"), None);
        assert_eq!(super::name(47), Some("沖縄県"));
        assert_eq!(super::name(0), None);
    }
}
