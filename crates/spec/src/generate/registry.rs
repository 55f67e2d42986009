//! A fictional register of the offices of an area (as 介護サービス情報公表 lists them): the
//! world's own offices where their addresses are, and many more across real municipalities,
//! for the operator's adoption tables. Deterministic for a seed, like everything here.

use fastrand::Rng;

use super::{World, people};

/// Municipalities (5-digit 市区町村コード, name) by prefecture, for the register.
const MUNICIPALITIES: &[(u8, &str, &str)] = &[
    (1, "01100", "札幌市"),
    (1, "01202", "函館市"),
    (1, "01204", "旭川市"),
    (13, "13101", "千代田区"),
    (13, "13104", "新宿区"),
    (13, "13112", "世田谷区"),
    (13, "13201", "八王子市"),
    (13, "13208", "調布市"),
    (13, "13210", "小金井市"),
    (14, "14100", "横浜市"),
    (14, "14130", "川崎市"),
    (14, "14150", "相模原市"),
    (14, "14204", "鎌倉市"),
    (27, "27100", "大阪市"),
    (27, "27140", "堺市"),
    (27, "27203", "豊中市"),
    (40, "40130", "福岡市"),
    (40, "40100", "北九州市"),
];

/// One office of the register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredOffice {
    pub number: String,
    pub name: String,
    pub kind: String,
    pub prefecture: u8,
    pub municipality: &'static str,
    pub municipality_name: &'static str,
}

/// The register: `world`'s offices (planners in 新宿区, providers in 世田谷区, as their
/// generated addresses say) and `others` fictional offices spread over the municipalities.
pub fn registry(world: &World, seed: u64, others: usize) -> Vec<RegisteredOffice> {
    let mut rng = Rng::with_seed(seed ^ 0x5245_4749_5354_5259);
    let mut used: std::collections::BTreeSet<String> = world
        .planners
        .iter()
        .chain(&world.providers)
        .map(|o| o.number.as_str().to_owned())
        .collect();
    let own =
        |office: &super::Office, (code, name): (&'static str, &'static str)| RegisteredOffice {
            number: office.number.as_str().to_owned(),
            name: office.name.clone(),
            kind: office.kind.as_str().to_owned(),
            prefecture: 13,
            municipality: code,
            municipality_name: name,
        };
    let mut register: Vec<RegisteredOffice> = world
        .planners
        .iter()
        .map(|o| own(o, ("13104", "新宿区")))
        .chain(
            world
                .providers
                .iter()
                .map(|o| own(o, ("13112", "世田谷区"))),
        )
        .collect();
    for i in 0..others {
        let &(prefecture, code, place) = people::pick(&mut rng, MUNICIPALITIES);
        let kinds = ["43", "43", "11", "11", "15", "17", "13", "78"];
        let kind = *people::pick(&mut rng, &kinds);
        let tag = people::pick(&mut rng, people::PROVIDER_NAMES);
        let label = crate::services::kind_name(kind).unwrap_or("サービス");
        let number = loop {
            let number = format!("{prefecture:02}{:08}", rng.u32(..100_000_000));
            if used.insert(number.clone()) {
                break number;
            }
        };
        register.push(RegisteredOffice {
            number,
            name: format!("{place}{tag}{label}事業所{}", i + 1),
            kind: kind.to_owned(),
            prefecture,
            municipality: code,
            municipality_name: place,
        });
    }
    register
}

/// The register as the CSV `renkei hub registry` reads (UTF-8, a header line).
pub fn registry_csv(register: &[RegisteredOffice]) -> String {
    let mut csv =
        String::from("事業所番号,事業所名,サービス種類コード,市区町村コード,市区町村名\n");
    for office in register {
        csv.push_str(&format!(
            "{},\"{}\",{},{},{}\n",
            office.number,
            office.name.replace('"', "\"\""),
            office.kind,
            office.municipality,
            office.municipality_name
        ));
    }
    csv
}
