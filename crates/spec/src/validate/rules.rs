//! The catalogue of checks. Ids are stable: care software vendors and inspectors refer to
//! them, so a rule is never renumbered; a retired rule keeps its id unused.
//!
//! Families: N file name, E encoding, S structure, V CSVバージョン, M months and ties,
//! I items, T rules of particular tables, U send units (sets of files).

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One check: what it finds and how to put it right.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub title_ja: &'static str,
    pub title_en: &'static str,
    pub fix_ja: &'static str,
    pub fix_en: &'static str,
}

macro_rules! rules {
    ($( $id:ident $sev:ident $title_ja:literal $title_en:literal $fix_ja:literal $fix_en:literal; )*) => {
        $(
            pub static $id: Rule = Rule {
                id: stringify!($id),
                severity: Severity::$sev,
                title_ja: $title_ja,
                title_en: $title_en,
                fix_ja: $fix_ja,
                fix_en: $fix_en,
            };
        )*
        /// Every rule, in id order.
        pub static ALL: &[&Rule] = &[$(&$id),*];
    };
}

rules! {
    N001 Error "ファイル名が標準仕様の命名規則に合いません" "file name does not follow the naming rule"
        "介護ソフトの出力設定を確認し、標準仕様(V4.1)の形式 例: UPPLAN_202511_送信元事業所番号_43_送信先事業所番号_11_YYYYMMDDHHMMSS.CSV で出力し直してください"
        "export again with names of the form UPPLAN_202511_<from>_43_<to>_11_<YYYYMMDDHHMMSS>.CSV";
    N002 Warning "拡張子が小文字(.csv)です" "extension is lower case (.csv)"
        "標準仕様では拡張子は大文字の.CSVです。受け取れますが、.CSVで出力するよう設定してください"
        "the standard writes .CSV; it is accepted, but export .CSV";
    N003 Warning "利用者基本情報のファイル名に余分な000000があります" "UPKIHON name carries an extra 000000 token"
        "仕様本文の例に従った形で受け取れますが、命名規則どおり000000を付けずに出力してください"
        "accepted as in the spec's example, but the naming rule has no 000000 token";
    N004 Warning "サービス種類コードが3文字です(V4.0の形式)" "service kind token has 3 characters (V4.0 form)"
        "V4.1ではサービス種類コード2桁です。介護ソフトをV4.1対応版に更新してください"
        "V4.1 uses a 2-character kind; update the care software to V4.1";
    N005 Error "ファイル名の形式とCSVバージョンが合いません" "file name form does not match the CSV version"
        "V4.1(202407)のファイル名には送信元・送信先のサービス種類コードが必要で、V3(202208)には付けません。どちらかに揃えて出力し直してください"
        "V4.1 (202407) names carry both kind codes, V3 (202208) names none; export again with matching name and version";
    N006 Warning "送信元のサービス種類がこのファイルの送り手として不自然です" "sender kind is unusual for this file"
        "計画書・予定は居宅介護支援(43)等の計画作成事業所から、実績はサービス事業所から送ります。事業所番号とサービス種類コードを確認してください"
        "plans and schedules come from planner offices (43, 46), actuals from providers; check the office numbers and kinds";
    N007 Error "送信元と送信先の事業所番号が同じです" "the sender and the recipient have the same office number"
        "同じ事業所番号の事業所の間では送受信できません(国保中央会のケアプランデータ連携システムでもエラーになります)。送信先の事業所番号を確認してください。同じ事業所番号の中のサービス間で帳票を受け渡すには、連携ではなく介護ソフトの中で行ってください"
        "files cannot be exchanged between offices of the same number (the national system refuses them too); check the recipient's number, and pass forms between services of one number inside the care software";
    E001 Error "MS932(Shift_JIS)として読めないバイトがあります" "bytes that are not valid MS932 (Shift_JIS)"
        "ファイルをMS932(Shift_JIS)で保存し直してください。UTF-8で出力したファイルなら --encoding utf8 で確認できます"
        "save the file as MS932 (Shift_JIS) again; for a UTF-8 export check with --encoding utf8";
    E002 Error "外字(ユーザー定義文字)が含まれています" "user-defined character (gaiji) present"
        "外字は標準仕様で使えません。通常の文字に置き換えてください(例: 髙→高)"
        "gaiji are not allowed; replace them with ordinary characters";
    E003 Error "UTF-8(BOM付き)のファイルです" "the file is UTF-8 with a byte-order mark"
        "標準仕様の文字コードはMS932(Shift_JIS)です。介護ソフトの出力文字コードを確認してください"
        "the standard's encoding is MS932 (Shift_JIS); check the care software's export encoding";
    E004 Warning "ファイル末尾にEOF記号(0x1A)があります" "the file ends with an EOF mark (0x1A)"
        "無視して読み込みました。出力時に付けないよう設定してください"
        "it was ignored; configure the export not to add it";
    E005 Error "ファイルが大きすぎます" "the file is too large"
        "1ファイルは4GiB未満にしてください。利用者や月ごとに分けて出力してください"
        "keep files under 4 GiB; export per user group or month";
    S001 Error "項目数がレイアウトと合いません" "wrong number of items for the layout"
        "各レコードはレイアウトの全項目を持つ必要があります(空の項目もカンマで区切る)。フリーテキスト内のカンマが\"で囲まれているかも確認してください"
        "every record carries every item of the layout (empty ones too); check that free text with commas is quoted";
    S002 Error "ダブルクォートが閉じられていません" "a double quote is never closed"
        "フリーテキスト内の\"は\"\"と二重にする必要があります。該当箇所を直してください"
        "a quote inside free text must be doubled (\"\"); fix the item";
    S003 Error "レコードがありません" "the file has no records"
        "空のファイルは送れません。出力し直してください"
        "an empty file cannot be sent; export again";
    S004 Error "家族構成画像がJPEGではありません" "family-structure image is not a JPEG"
        "画像はJPEG形式(.jpg)で保存してください"
        "save the image as JPEG (.jpg)";
    S005 Error "ダブルクォート(\")の使い方が標準仕様と違います" "a double quote where the standard allows none"
        "フリーテキストは全体を\"で囲み、中の\"は\"\"と二重にします。項目がどこで終わるか分からないため、この行のこれより後の項目は確認していません。介護ソフトの出力を直してください"
        "free text is enclosed in quotes and a quote inside it doubled (\"\"); where this item ends cannot be known, so the rest of the row was not checked; fix the export";
    V001 Error "CSVバージョンが標準仕様にない値です" "unknown CSV version"
        "V4.1は202407、V3は202208です。介護ソフトの出力設定を確認してください"
        "V4.1 is 202407, V3 is 202208; check the care software's export";
    V002 Error "1ファイルに異なるCSVバージョンのレコードが混在しています" "records of different CSV versions in one file"
        "1ファイルのレコードは同じCSVバージョンにしてください"
        "all records of a file must have the same CSV version";
    V003 Error "古いCSVバージョン(V1/V2)です" "legacy CSV version (V1/V2)"
        "V1(201910)・V2(202003)は使えません。介護ソフトをV4.1対応版に更新してください"
        "V1 (201910) and V2 (202003) are no longer in force; update the care software to V4.1";
    V004 Error "このファイル種別はこのCSVバージョンにありません" "this file kind does not exist in this CSV version"
        "第3表・介護予防のファイルはV4(202407)でのみ送れます"
        "第3表 and the 介護予防 files exist only in V4 (202407)";
    V005 Warning "CSVバージョンがV4.1の値(202407)ではありません" "the CSV version is not V4.1's value (202407)"
        "V4.1として読みました。V4.1のCSVバージョンは202407です(202410はV4.1の発出月、202504はV4.0の案の値)。介護ソフトの出力設定を確認してください"
        "read as V4.1; V4.1 is written 202407 (202410 is the month V4.1 was issued, 202504 the V4.0 draft); check the care software's export";
    M001 Error "対象年月がレコードごとに異なります" "target month differs between records"
        "利用票のファイルは1ファイル1か月です。月ごとに別ファイルで出力してください"
        "a schedule file holds one month; export one file per month";
    M002 Error "対象年月がファイル名の年月と違います" "target month differs from the file name"
        "ファイル名の年月とレコードの対象年月を揃えて出力し直してください"
        "export again with the same month in the name and the records";
    M003 Error "利用者補足情報の計画書・利用票の区別が合いません" "UPHOSOKU plan/schedule tie is inconsistent"
        "計画書に付く補足は ファイル名の年月000000・対象年月000000・計画作成日あり、利用票に付く補足は 年月・対象年月あり・計画作成日00000000 です"
        "plan-tied: name month 000000, 対象年月 000000, plan date set; schedule-tied: month set, plan date 00000000";
    M004 Error "サービス利用日が対象年月の外です" "service date outside the target month"
        "サービス利用日は対象年月の日付にしてください"
        "the service date must fall in the target month";
    I001 Error "必須項目が空です" "required item is empty"
        "この項目は必須です。介護ソフトで入力してから出力し直してください"
        "this item is required; fill it in the care software and export again";
    I002 Warning "必須と思われる項目が空です" "item that is probably required is empty"
        "標準仕様の表記が不確かな項目ですが、入力しておくことをお勧めします"
        "the standard's mark is unclear, but filling it is recommended";
    I003 Error "日付が正しくありません" "invalid date"
        "西暦8桁(YYYYMMDD)の実在する日付にしてください(和暦は不可)"
        "use a real date as 8 digits YYYYMMDD (Western calendar)";
    I004 Error "時刻が正しくありません" "invalid time"
        "時刻は4桁(HHMM、0000〜2359)、時刻のないサービスは9999です"
        "times are HHMM from 0000 to 2359, or 9999 for no time";
    I005 Error "数値が正しくありません" "invalid number"
        "半角数字で記入してください(単位数単価は 10.90 の形)"
        "write half-width digits (unit price as 10.90)";
    I006 Warning "項目長を超えています" "longer than the item length"
        "標準仕様の項目長以内にしてください"
        "keep within the standard's item length";
    I007 Error "コード表にない値です" "value is not in the code table"
        "標準仕様のコード表の値を使ってください"
        "use a value from the standard's code table";
    I008 Error "被保険者番号が正しくありません" "invalid insured number"
        "被保険者番号は数字10桁、生保単独の方はHと数字9桁です"
        "10 digits, or H and 9 digits for public assistance only";
    I009 Error "事業所番号が正しくありません" "invalid office number"
        "事業所番号は数字10桁です"
        "office numbers are 10 digits";
    I010 Error "保険者番号が正しくありません" "invalid insurer number"
        "保険者番号は数字6桁です"
        "insurer numbers are 6 digits";
    I011 Error "日割対象日が正しくありません" "invalid prorated-days flags"
        "日割対象日は0と1の31文字で、月末より後の日は0です。日割でない場合は空にします"
        "31 characters of 0 and 1, no 1 after the month's last day; empty when not prorated";
    I012 Error "サービスコード・サービス種類コードの形が正しくありません" "malformed service code or kind"
        "サービスコードは種類2桁+項目4桁の6文字、サービス種類コードは2文字です"
        "service codes are 6 characters (kind 2 + item 4), kinds 2 characters";
    I013 Warning "TAISコード・福祉用具届出コードの形が正しくありません" "malformed TAIS or notification code"
        "NNNNN-NNNNNN(数字5桁-数字6桁)の形で記入してください"
        "write it as NNNNN-NNNNNN";
    I014 Warning "郵便番号・電話番号の形が正しくありません" "malformed postal code or telephone number"
        "郵便番号はXXX-XXXX、電話番号は数字とハイフンで記入してください"
        "postal codes are XXX-XXXX, telephone numbers digits and hyphens";
    I015 Warning "使用しない項目(識別子)に値があります" "unused item (識別子) has a value"
        "識別子は使用しない項目です。空にしてください"
        "識別子 is not used; leave it empty";
    T001 Warning "福祉用具貸与の行にTAISコードも届出コードもありません" "equipment rental line without TAIS or notification code"
        "2025年4月以降、福祉用具貸与(17/67)はTAISコードか福祉用具届出コードのどちらかを記入します(当面は空欄も認められています)"
        "from 2025-04 rental lines (17/67) carry a TAIS or notification code (blanks tolerated for now)";
    T002 Warning "福祉用具貸与以外の行に明細判別コードがあります" "detail number on a line that is not equipment rental"
        "明細判別コードは福祉用具貸与(17/67)でのみ使います"
        "the detail number is only for equipment rental (17/67)";
    T003 Warning "サービスコード表にないサービスコードです" "service code not in the service-code table"
        "令和6年度のサービスコード表でコードを確認してください"
        "check the code against the 令和6年度 service-code table";
    T004 Error "連携対象外のサービス種類のレコードです" "record of a service kind that is not exchanged"
        "施設サービス・住宅改修などは標準仕様の連携対象外です。このサービスを出力対象から外してください"
        "facility services, home modification and the like are not exchanged; leave them out of the export";
    T005 Error "第7表に全合計(999999)の行がありません" "第7表 has no grand-total (999999) line"
        "利用者ごとに サービスコード999999・事業所コード9999999999 の全合計行が必要です"
        "each person needs a grand-total line with code 999999 and office 9999999999";
    T006 Error "第7表に種類別小計(AAAA)の行がありません" "第7表 lacks a per-kind subtotal (AAAA) line"
        "同じサービス種類のサービスコード行が複数ある場合、種類+AAAAの小計行が必要です"
        "a kind with several code lines needs a subtotal line coded kind+AAAA";
    T007 Error "第7表の小計・合計行の単位数・割引欄が正しくありません" "wrong units or discount on a 第7表 subtotal or total line"
        "小計・全合計の行は単位数0、割引後率と割引後単位数は空です"
        "subtotal and total lines have units 0 and empty discount items";
    T008 Warning "全合計行のサービス事業所コードが9999999999ではありません" "grand-total line office is not 9999999999"
        "全合計(999999)の行のサービス事業所コードは9999999999です"
        "the grand-total line's office is 9999999999";
    T009 Warning "第2表の番号(課題NO・援助目標NO・援助内容NO)が重複しています" "duplicate numbering in 第2表"
        "同じ計画の中で課題NO・援助目標NO・援助内容NOの組は一意にしてください(取り込めないソフトがあります)"
        "keep (課題NO, 援助目標NO, 援助内容NO) unique within a plan; some importers reject duplicates";
    T010 Warning "第3表のレコードに週間サービス・日常生活活動・週単位以外のサービスが混在しています" "第3表 record mixes weekly service, daily activity and non-weekly service"
        "第3表の1レコードには、週間サービス・主な日常生活上の活動・週単位以外のサービスのどれか一つを記入します"
        "each 第3表 record carries one of: a weekly service, a daily activity, a non-weekly service";
    U001 Error "計画書の第1表がない第2表・第3表・補足があります" "第2表, 第3表 or 補足 without its 第1表"
        "第2表・第3表・利用者補足情報は、同じ保険者番号・被保険者番号・計画作成(変更)日の第1表と同じファイル連番で送ってください"
        "send them with the 第1表 of the same insurer, insured number and plan date, under the same file serial";
    U002 Error "第6表がない第7表・補足があります" "第7表 or 補足 without its 第6表"
        "第7表・利用者補足情報は、同じ保険者番号・被保険者番号・対象年月の第6表と同じファイル連番で送ってください"
        "send them with the 第6表 of the same insurer, insured number and month, under the same file serial";
    U003 Error "親ファイルのない別表があります" "annex without its parent file"
        "別表1・別表2・家族構成画像は利用者基本情報と、支援計画書の別表は支援計画書と同じファイル連番で、同じ相談日・計画作成日で送ってください"
        "send annexes under the parent's file serial with the parent's key";
    U004 Error "利用者基本情報が指す家族構成画像がありません" "family-structure image named in UPKIHON is missing"
        "家族構成画像ファイル名の画像を同じ送信単位に含めてください"
        "include the named image in the same send unit";
    U005 Warning "標準仕様では別々に送るファイルが同じ送信単位にあります" "files the standard sends separately share a send unit"
        "計画書(第1〜3表)、利用票(第6・7表)、削除ファイルは別のファイル連番で送るのが標準です"
        "plans, schedules and deletions are sent under separate file serials";
    U006 Warning "送信単位に必要なファイルが揃っていません" "send unit lacks files the standard sends together"
        "計画書は第1表・第2表(V4は第3表も)・利用者補足情報、利用票は第6表・第7表・利用者補足情報を一緒に送ります"
        "plans go with 第1表, 第2表 (V4: 第3表) and 補足; schedules with 第6表, 第7表 and 補足";
    U007 Warning "同じ利用者・キーのレコードが重複しています" "the same person and key appear twice"
        "1ファイルに同じ保険者番号・被保険者番号・キーの親レコードは1件にしてください"
        "one parent record per insurer, insured number and key in a file";
}

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.id == id)
}
