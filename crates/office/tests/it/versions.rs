//! Document versions: which record is which document, and which version is the newest.

use renkei_office::ledger::{DocumentCounts, Ledger};
use renkei_office::versions::documents_in;
use renkei_spec::Generation;
use renkei_spec::generate::{self, Config, GeneratedFile};
use renkei_spec::ids::YearMonth;
use renkei_spec::progress::Silent;

fn month(users: usize) -> Vec<GeneratedFile> {
    let config = Config {
        seed: 9,
        planners: 1,
        providers: 2,
        users,
        month: YearMonth::parse("202512").unwrap(),
        generation: Generation::V4,
        per_person: false,
    };
    let mut files = Vec::new();
    generate::generate::<renkei_spec::Error>(config, &Silent, |f| {
        files.push(f);
        Ok(())
    })
    .unwrap();
    files
}

fn counts(current: u64, superseded: u64, deleted: u64) -> DocumentCounts {
    DocumentCounts {
        current,
        superseded,
        deleted,
    }
}

#[test]
fn each_person_in_a_plan_or_schedule_file_is_one_document() {
    let files = month(12);
    for (prefix, family) in [
        ("UP1KYO", "plan"),
        ("UPPLAN", "schedule"),
        ("UPJSK", "actual"),
    ] {
        let file = files
            .iter()
            .find(|f| f.name.kind.prefix() == prefix)
            .unwrap();
        let name = file.name.to_string();
        let documents = documents_in(file.name.from.as_str(), &name, &file.bytes);
        assert!(!documents.is_empty(), "{prefix}");
        assert!(documents.iter().all(|d| d.family == family && !d.deletion));
        let mut keys: Vec<_> = documents.iter().map(|d| d.key.clone()).collect();
        keys.dedup();
        assert_eq!(
            keys.len(),
            documents.len(),
            "one version per document in a file"
        );
    }
    // Child forms travel with their parent and are not documents of their own.
    let second = files
        .iter()
        .find(|f| f.name.kind.prefix() == "UP2KYO")
        .unwrap();
    assert!(documents_in("1310000043", &second.name.to_string(), &second.bytes).is_empty());
    assert!(documents_in("1310000043", "月次報告書.pdf", b"%PDF").is_empty());
}

#[test]
fn later_versions_supersede_and_a_deletion_withdraws() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("ledger.db")).unwrap();
    let plan = "UP1KYO_1310000043_43_1310000011_11_20251201090000.CSV";
    let (insurer, insured, date) = ("131011", "0000012345", "20251120");
    let mut items = vec![""; 28];
    (items[0], items[1], items[2], items[13]) = ("202407", insurer, insured, date);
    let plan_record = format!("{}\r\n", items.join(",")).into_bytes();
    // Send `file` to `partner` in `parcel`; then the plans' counts.
    let send = |partner: &str, parcel: &str, file: &str, bytes: &[u8]| {
        ledger
            .documents(
                "sent",
                partner,
                parcel,
                &documents_in("1310000043", file, bytes),
                0,
            )
            .unwrap();
        ledger.document_counts("sent", "plan").unwrap()
    };
    let first = documents_in("1310000043", plan, &plan_record);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].key, format!("{insurer}|{insured}|{date}"));
    assert_eq!(
        send("1310000011", "p1", plan, &plan_record),
        counts(1, 0, 0)
    );

    // The same plan, sent again later: the new one is current.
    let later = plan.replace("20251201090000", "20251205090000");
    assert_eq!(
        send("1310000011", "p2", &later, &plan_record),
        counts(1, 1, 0)
    );
    // Recorded again after a crash: nothing new.
    assert_eq!(
        send("1310000011", "p2", &later, &plan_record),
        counts(1, 1, 0)
    );
    // An older version arriving late does not replace the newer one.
    let older = plan.replace("20251201090000", "20251130090000");
    assert_eq!(
        send("1310000011", "p3", &older, &plan_record),
        counts(1, 2, 0)
    );
    // The same plan to another provider is that provider's own document.
    assert_eq!(
        send("1310000015", "p4", plan, &plan_record),
        counts(2, 2, 0)
    );

    // 居宅サービス計画1表_削除 withdraws the plan (and its 2表・3表 with it).
    let deletion = "DLT1KYO_1310000043_43_1310000011_11_20251210090000.CSV";
    let deletion_record = format!("202407,{insurer},{insured},{date}\r\n").into_bytes();
    let withdrawn = documents_in("1310000043", deletion, &deletion_record);
    assert_eq!(withdrawn.len(), 1);
    assert!(withdrawn[0].deletion);
    assert_eq!(withdrawn[0].key, first[0].key);
    assert_eq!(
        send("1310000011", "p5", deletion, &deletion_record),
        counts(1, 3, 1)
    );
    // A 取消 of a plan never sent to that partner is said, not refused.
    let unknown = ledger
        .documents("sent", "1310000099", "p6", &withdrawn, 0)
        .unwrap();
    assert_eq!(unknown.len(), 1);
    assert_eq!(unknown[0].file, deletion);
    let known = ledger
        .documents("sent", "1310000011", "p7", &withdrawn, 0)
        .unwrap();
    assert!(known.is_empty(), "the partner had the plan: {known:?}");
}

#[test]
fn a_withdrawal_of_actuals_names_the_same_document_in_v3_and_v4() {
    let actual_record = |version: &str| {
        format!(
            "{version},131045,0000000001,20260102,202512,1310000043,山田　花子,244,,20251201,,1000,1045,1,111211,{}1310000011,さくら訪問介護,,0,1310000011,\r\n",
            if version == "202208" { "," } else { ",,,," }
        )
        .into_bytes()
    };
    for (version, actual, deletion) in [
        (
            "202407",
            "UPJSK_202512_1310000011_11_1310000043_43_20260103100000.CSV",
            "DLTJSK_202512_1310000011_11_1310000043_43_20260110100000.CSV",
        ),
        (
            "202208",
            "UPJSK_202512_1310000011_1310000043_20260103100000.CSV",
            "DLTJSK_202512_1310000011_1310000043_20260110100000.CSV",
        ),
    ] {
        let sent = documents_in("1310000011", actual, &actual_record(version));
        let withdrawal = format!("{version},131045,0000000001,202512,1310000011,11\r\n");
        let withdrawn = documents_in("1310000011", deletion, withdrawal.as_bytes());
        assert_eq!(sent.len(), 1, "{version}");
        assert_eq!(withdrawn.len(), 1, "{version}");
        assert!(withdrawn[0].deletion);
        assert_eq!(withdrawn[0].key, sent[0].key, "{version}");
    }
}

#[test]
fn a_withdrawal_made_for_a_sent_document_withdraws_that_document_and_passes_the_check() {
    use renkei_spec::FileKind;
    use renkei_spec::ids::FileSerial;
    use renkei_spec::validate::{Input, Options, check_unit};
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(&dir.path().join("ledger.db")).unwrap();
    let files = month(3);
    let mut families = Vec::new();
    for kind in [FileKind::Plan1, FileKind::Schedule, FileKind::Actual] {
        let file = files.iter().find(|f| f.name.kind == kind).unwrap();
        let (sender, partner) = (file.name.from.as_str(), file.name.to.as_str());
        let name = file.name.to_string();
        let versions = documents_in(sender, &name, &file.bytes);
        ledger
            .documents("sent", partner, &format!("p-{name}"), &versions, 0)
            .unwrap();
        let head = ledger
            .document_heads("", versions[0].key.split('|').nth(1).unwrap(), 100, 0)
            .unwrap()
            .into_iter()
            .map(|(head, _)| head)
            .find(|h| h.key.ends_with(&versions[0].key))
            .unwrap();
        let serial = FileSerial::parse("20260105090000").unwrap();
        let (withdrawal, bytes) = renkei_office::versions::withdrawal(&head, serial).unwrap();
        let withdrawn = documents_in(sender, &withdrawal, &bytes);
        assert_eq!(withdrawn.len(), 1, "{withdrawal}");
        assert!(withdrawn[0].deletion, "{withdrawal}");
        assert_eq!(withdrawn[0].key, versions[0].key, "{withdrawal}");
        let report = check_unit(
            &[Input {
                name: &withdrawal,
                bytes: &bytes,
            }],
            Options::default(),
        );
        assert_eq!(report.errors(), 0, "{withdrawal}: {:?}", report.files);
        families.push(withdrawal.split('_').next().unwrap().to_owned());
    }
    assert_eq!(families, ["DLT1KYO", "DLTPLAN", "DLTJSK"]);
}
