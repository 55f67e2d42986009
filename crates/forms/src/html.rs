//! The forms as HTML: one `<section>` per form, laid out like the paper 様式, with a style
//! sheet that prints each on its own A4 landscape page.

use askama::Template;

use renkei_spec::glossary::Reader;

use crate::PersonForms;
use crate::plan::BANDS;

/// The style of the forms, for the page that embeds them (screen and print).
pub const STYLE: &str = include_str!("../templates/forms.css");

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage<'a> {
    person: &'a PersonForms,
    bands: &'static [crate::plan::Band],
    /// Who reads the forms: the titles of 第6表 and 第7表 are theirs.
    reader: Reader,
}

impl PersonPage<'_> {
    fn allowance_title(&self) -> &'static str {
        renkei_spec::glossary::form_title(renkei_spec::FileKind::Sikyu, self.reader)
    }
}

/// The person's forms as HTML sections (`#form1` … `#supplement`), without `<html>` around
/// them: the caller's page gives the heading, navigation and [`STYLE`].
pub fn person(person: &PersonForms, reader: Reader) -> Result<String, askama::Error> {
    PersonPage {
        person,
        bands: &BANDS,
        reader,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    fn file(name: &str, lines: &[&str]) -> (String, Vec<u8>) {
        let text: String = lines.iter().map(|l| format!("{l}\r\n")).collect();
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        (name.to_owned(), bytes.into_owned())
    }

    #[test]
    fn a_plan_and_its_month_are_rendered_with_their_values() {
        let files = [
            file(
                "UPHOSOKU_202512_1312345678_43_1398765432_11_20251126093000.CSV",
                &[concat!(
                    "202407,131001,0000012345,20251120,\"ヤマダ ハナコ\",\"山田 花子\",2,19400401,",
                    "100-0001,\"東京都千代田区\",\"1-1\",,20250401,20250401,20260331,2,,22,16765,",
                    "11,16765,4000,0,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,0,,,,,1312345678,,202512"
                )],
            ),
            file(
                "UP1KYO_1312345678_43_1398765432_11_20251126090000.CSV",
                &[concat!(
                    "202407,131001,0000012345,20251120,100-0001,\"東京都千代田区\",\"1-1\",",
                    "\"佐藤 一郎\",\"居宅介護支援わかば\",,,,1312345678,20251120,20230401,51,2,",
                    "20250401,20250401,20260331,22,\"自宅で暮らし続けたい\",\"なし\",",
                    "\"転倒を防ぎ、\"\"できること\"\"を続ける\",,,1312345678,"
                )],
            ),
            file(
                "UPPLAN_202512_1312345678_43_1398765432_11_20251126093000.CSV",
                &[
                    concat!(
                        "202407,131001,0000012345,20251120,202512,1312345678,\"佐藤 一郎\",",
                        "250,,20251201,,0900,1000,1,111111,,,,,1398765432,\"つばき訪問介護\",,0,1312345678,"
                    ),
                    concat!(
                        "202407,131001,0000012345,20251120,202512,1312345678,\"佐藤 一郎\",",
                        "250,,20251204,,0900,1000,1,111111,,,,,1398765432,\"つばき訪問介護\",,0,1312345678,"
                    ),
                ],
            ),
        ];
        let sources: Vec<SourceFile<'_>> = files
            .iter()
            .map(|(name, bytes)| SourceFile { name, bytes })
            .collect();
        let people = crate::people(&sources);
        assert_eq!(people.len(), 1);
        let forms = &people[0];
        assert_eq!(forms.name(), "山田 花子");
        assert_eq!(forms.contents(), ["第1表", "第6表", "補足"]);
        let sheet = &forms.months[0];
        assert_eq!(sheet.lines.len(), 1);
        assert_eq!(sheet.lines[0].days[0], 1);
        assert_eq!(sheet.lines[0].days[3], 1);
        assert_eq!(sheet.lines[0].total(), 2);
        assert_eq!(sheet.day_headings()[0].weekday, "月");

        let html = person(forms, Reader::Planner).unwrap();
        assert!(html.contains("自宅で暮らし続けたい"), "{html}");
        assert!(html.contains("&quot;できること&quot;") || html.contains("&#34;できること&#34;"));
        assert!(html.contains("令和7年12月"));
        assert!(html.contains("要介護２"));
        assert!(html.contains("つばき訪問介護"));
        assert!(html.contains("id=\"form1\"") && html.contains("id=\"form6-1\""));
        assert!(html.contains("サービス利用票（予定）"));
        // The provider reads the same records as its サービス提供票.
        let theirs = person(forms, Reader::Provider).unwrap();
        assert!(theirs.contains("サービス提供票（予定）"), "{theirs}");
        assert!(!theirs.contains("サービス利用票"));
    }
}
