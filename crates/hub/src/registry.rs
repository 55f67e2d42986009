//! The register file the operator loads: one office per line, `事業所番号, 事業所名,
//! サービス種類コード, 市区町村コード, 市区町村名`, with or without a header line, in UTF-8
//! or MS932 (as Excel saves a CSV in Japan).

use renkei_spec::codec::{ReadOptions, SourceEncoding, read};

use crate::store::RegistryEntry;
use crate::{Error, Result};

/// The entries of a register file; the first bad line refuses the whole file, naming it.
pub fn parse(bytes: &[u8]) -> Result<Vec<RegistryEntry>> {
    let encoding = if std::str::from_utf8(bytes).is_ok() {
        SourceEncoding::Utf8
    } else {
        SourceEncoding::Ms932
    };
    let table = read(bytes, ReadOptions { encoding });
    let mut entries = Vec::with_capacity(table.len());
    for row in table.rows() {
        let number = row.get(0).trim().trim_start_matches('\u{feff}');
        if number == "事業所番号" {
            continue;
        }
        let municipality = row.get(3).trim();
        let bad = |what: &str| {
            Error::BadRequest(format!(
                "{}行目: {what}。列は 事業所番号,事業所名,サービス種類コード,市区町村コード,市区町村名 です / line {}: {what}",
                row.line(),
                row.line()
            ))
        };
        if number.len() != 10 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("事業所番号が数字10桁ではありません"));
        }
        if municipality.len() != 5 || !municipality.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad("市区町村コードが数字5桁ではありません"));
        }
        let prefecture: u8 = municipality[..2].parse().unwrap_or(0);
        if renkei_spec::prefecture::name(prefecture).is_none() {
            return Err(bad("市区町村コードの都道府県番号が01〜47ではありません"));
        }
        entries.push(RegistryEntry {
            number: number.to_owned(),
            name: row.get(1).trim().to_owned(),
            kind: row.get(2).trim().to_owned(),
            prefecture,
            municipality: municipality.to_owned(),
            municipality_name: row.get(4).trim().to_owned(),
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_register_is_read_with_or_without_its_header() {
        let text = "事業所番号,事業所名,サービス種類コード,市区町村コード,市区町村名\n\
                    1310000043,\"架空居宅介護支援, 本店\",43,13104,新宿区\n\
                    2710000011,架空訪問介護,11,27100,大阪市\n";
        let entries = super::parse(text.as_bytes()).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name, "架空居宅介護支援, 本店");
        assert_eq!(entries[1].prefecture, 27);
        let (ms932, _, _) = encoding_rs::SHIFT_JIS.encode("1310000043,架空,43,13104,新宿区\r\n");
        assert_eq!(super::parse(&ms932).unwrap()[0].municipality_name, "新宿区");
        let error = super::parse("131000004,架空,43,13104,新宿区\n".as_bytes()).unwrap_err();
        assert!(error.to_string().contains("1行目"), "{error}");
    }
}
