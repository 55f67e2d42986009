//! The column layouts of every interface file (§6 of the reference), V4.1 numbering.
//!
//! Lengths and 必須 marks come from a text extraction whose columns were re-aligned by hand
//! ([spec-ocr]); where the reference doubts a 必須 mark the item is `Probably` (a warning when
//! empty). Items marked `v4` did not exist in V3: the V3 layout is the V4 one without them.
//! Generated once from the reference's tables; edit here, the tests check the numbering.

use super::{Format::*, ItemSpec, Need};
use crate::codes;

items! {
    /// `UPHOSOKU` 利用者補足情報 (63 items).
    HOSOKU, hosoku {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 PLAN_DATE "居宅サービス計画作成（変更）日" 8 Required DateOrZeros;
        5 NAME_KANA "利用者氏名フリガナ" - Probably Free;
        6 NAME "利用者氏名" - Probably Free;
        7 SEX "利用者性別" 1 Probably Code(codes::SEX);
        8 BIRTH_DATE "利用者生年月日" 8 Probably Date;
        9 ZIP "利用者郵便番号" 8 Optional Zip;
        10 ADDRESS1 "利用者住所１" - Optional Free;
        11 ADDRESS2 "利用者住所２" - Optional Free;
        12 PHONE "利用者電話番号" 15 Optional Phone;
        13 CERT_DATE "認定日" 8 Optional Date;
        14 LIMIT_FROM "限度額適用開始年月日" 8 Optional Date;
        15 LIMIT_TO "限度額適用終了年月日" 8 Optional Date;
        16 CERT_STATUS "認定状況区分" 1 Optional Code(codes::CERT_STATUS);
        17 CARE_LEVEL_CHANGED "要介護状態変更日" 8 Optional Date;
        18 CARE_LEVEL "要介護状態区分" 2 Optional Code(codes::CARE_LEVEL);
        19 LIMIT_UNITS "区分支給限度基準額" 7 Optional Int;
        20 SLOT1_KIND "１サービス種類コード" 2 Optional Kind;
        21 SLOT1_LIMIT "１支給限度基準額" 7 Optional Int;
        22 SLOT1_UNITS "１合計単位数" 7 Optional Int;
        23 SLOT1_OVER "１限度超単位数" 7 Optional Int;
        24 SLOT2_KIND "２サービス種類コード" 2 Optional Kind;
        25 SLOT2_LIMIT "２支給限度基準額" 7 Optional Int;
        26 SLOT2_UNITS "２合計単位数" 7 Optional Int;
        27 SLOT2_OVER "２限度超単位数" 7 Optional Int;
        28 SLOT3_KIND "３サービス種類コード" 2 Optional Kind;
        29 SLOT3_LIMIT "３支給限度基準額" 7 Optional Int;
        30 SLOT3_UNITS "３合計単位数" 7 Optional Int;
        31 SLOT3_OVER "３限度超単位数" 7 Optional Int;
        32 SLOT4_KIND "４サービス種類コード" 2 Optional Kind;
        33 SLOT4_LIMIT "４支給限度基準額" 7 Optional Int;
        34 SLOT4_UNITS "４合計単位数" 7 Optional Int;
        35 SLOT4_OVER "４限度超単位数" 7 Optional Int;
        36 SLOT5_KIND "５サービス種類コード" 2 Optional Kind;
        37 SLOT5_LIMIT "５支給限度基準額" 7 Optional Int;
        38 SLOT5_UNITS "５合計単位数" 7 Optional Int;
        39 SLOT5_OVER "５限度超単位数" 7 Optional Int;
        40 SLOT6_KIND "６サービス種類コード" 2 Optional Kind;
        41 SLOT6_LIMIT "６支給限度基準額" 7 Optional Int;
        42 SLOT6_UNITS "６合計単位数" 7 Optional Int;
        43 SLOT6_OVER "６限度超単位数" 7 Optional Int;
        44 SLOT7_KIND "７サービス種類コード" 2 Optional Kind;
        45 SLOT7_LIMIT "７支給限度基準額" 7 Optional Int;
        46 SLOT7_UNITS "７合計単位数" 7 Optional Int;
        47 SLOT7_OVER "７限度超単位数" 7 Optional Int;
        48 SLOT8_KIND "８サービス種類コード" 2 Optional Kind;
        49 SLOT8_LIMIT "８支給限度基準額" 7 Optional Int;
        50 SLOT8_UNITS "８合計単位数" 7 Optional Int;
        51 SLOT8_OVER "８限度超単位数" 7 Optional Int;
        52 SLOT9_KIND "９サービス種類コード" 2 Optional Kind;
        53 SLOT9_LIMIT "９支給限度基準額" 7 Optional Int;
        54 SLOT9_UNITS "９合計単位数" 7 Optional Int;
        55 SLOT9_OVER "９限度超単位数" 7 Optional Int;
        56 OVER_LIMIT_TOTAL "合計限度超単位数" 7 Optional Int;
        57 STAY_DAYS_BEFORE "入所前月迄利用日数" 5 Optional Int;
        58 STAY_DAYS_TOTAL "入所累積利用日数" 5 Optional Int;
        59 PREVIOUS_CARE_LEVEL "前回要介護状態区分" 2 Optional Code(codes::CARE_LEVEL);
        60 CONSENT_RECEIVER "同意書受付業者" 10 Optional Office;
        61 UPDATER "更新業者コード" 10 Optional Office;
        62 IDENTIFIER "識別子" 1 Optional Unused;
        63 MONTH "対象年月" 6 Required YearMonthOrZeros;
    }
}

items! {
    /// `UP1KYO` 居宅サービス計画書第1表 (28 items).
    PLAN1, plan1 {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CREATED "作成年月日" 8 Required Date;
        5 ZIP "利用者郵便番号" 8 Optional Zip;
        6 ADDRESS1 "利用者住所１" - Optional Free;
        7 ADDRESS2 "利用者住所２" - Optional Free;
        8 PLANNER_NAME "居宅サービス計画作成者氏名" - Required Free;
        9 OFFICE_NAME "介護支援事業者名" - Required Free;
        10 OFFICE_ZIP "介護支援事業者郵便番号" 8 Optional Zip;
        11 OFFICE_ADDRESS1 "介護支援事業者住所１" - Optional Free;
        12 OFFICE_ADDRESS2 "介護支援事業者住所２" - Optional Free;
        13 OFFICE "介護支援事業者コード" 10 Required Office;
        14 PLAN_DATE "居宅サービス計画作成（変更）日" 8 Required Date;
        15 FIRST_PLAN_DATE "初回居宅サービス計画作成日" 8 Required Date;
        16 PLAN_CLASS "計画書区分" 2 Optional Code(codes::PLAN_CLASS);
        17 CERT_STATUS "認定状況区分" 1 Optional Code(codes::CERT_STATUS);
        18 CERT_DATE "認定日" 8 Optional Date;
        19 CERT_FROM "認定有効期間開始日" 8 Optional Date;
        20 CERT_TO "認定有効期間終了日" 8 Optional Date;
        21 CARE_LEVEL "要介護状態区分" 2 Optional Code(codes::CARE_LEVEL);
        22 INTENTIONS "利用者及び家族の生活に対する意向を踏まえた課題分析の結果" - Optional Free;
        23 BOARD_OPINION "介護認定審査会の意見及びサービスの種類の指定" - Optional Free;
        24 POLICY "総合的な援助の方針" - Optional Free;
        25 HOUSEWORK_REASON "生活援助中心型の算定理由" 1 Optional Code(codes::HOUSEWORK_REASON);
        26 OTHER_REASON "その他理由" - Optional Free;
        27 UPDATER "更新業者コード" 10 Optional Office;
        28 IDENTIFIER "識別子" 1 Optional Unused;
    }
}

items! {
    /// `DLT1KYO` 居宅サービス計画1表_削除 (4 items).
    PLAN1_DELETE, plan1_delete {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 PLAN_DATE "居宅サービス計画作成（変更）日" 8 Required Date;
    }
}

items! {
    /// `UP2KYO` 居宅サービス計画書第2表 (22 items, one record per service line).
    PLAN2, plan2 {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CREATED "居宅計画書作成年月日" 8 Required Date;
        5 PLAN_DATE "居宅サービス計画作成（変更）日" 8 Required Date;
        6 ISSUE_NO "課題ＮＯ" 2 Optional Int;
        7 ISSUE "課題" - Optional Free;
        8 GOAL_NO "援助目標ＮＯ" 2 Optional Int;
        9 LONG_GOAL "長期目標" - Optional Free;
        10 SHORT_GOAL "短期目標" - Optional Free;
        11 LONG_PERIOD "長期期間" - Optional Free;
        12 SHORT_PERIOD "短期期間" - Optional Free;
        13 CONTENT_NO "援助内容ＮＯ" 2 Optional Int;
        14 CONTENT "サービス内容" - Optional Free;
        15 INSURED_SERVICE "保険対象区分" 1 Optional Code(codes::INSURED_SERVICE);
        16 SERVICE_TYPE "サービス種別" - Optional Free;
        17 PROVIDER "サービス事業者コード" 10 Optional Office;
        18 PROVIDER_NAME "サービス事業所名" - Optional Free;
        19 FREQUENCY "頻度" - Optional Free;
        20 PERIOD "実施期間" - Optional Free;
        21 UPDATER "更新業者コード" 10 Optional Office;
        22 IDENTIFIER "識別子" 1 Optional Unused;
    }
}

items! {
    /// `UP3KYO` 居宅サービス計画書第3表 週間サービス計画表 (13 items, V4 only).
    PLAN3, plan3 {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CREATED "週間サービス計画表作成年月日" 8 Required Date;
        5 PLAN_DATE "居宅サービス計画作成（変更）日" 8 Required Date;
        6 SERVICE "介護サービス内容" - Optional Free;
        7 WEEKDAY "曜日" 1 Optional Code(codes::WEEKDAY);
        8 SERVICE_START "開始時間" 4 Optional Time;
        9 SERVICE_END "終了時間" 4 Optional Time;
        10 ACTIVITY "主な日常生活上の活動" - Optional Free;
        11 ACTIVITY_START "開始時間" 4 Optional Time;
        12 ACTIVITY_END "終了時間" 4 Optional Time;
        13 NON_WEEKLY "週単位以外のサービス" - Optional Free;
    }
}

items! {
    /// `UPPLAN` 予定 and `UPJSK` 実績: 第6表 (25 items in V4, 22 in V3; one record per service and day).
    SCHEDULE, schedule {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CREATED "作成年月日" 8 Required Date;
        5 MONTH "対象年月" 6 Required YearMonth;
        6 PLANNER_OFFICE "プラン担当業者コード" 10 Probably Office;
        7 PLANNER_NAME "プラン担当者名" - Probably Free;
        8 UNITS "単位数" 6 Optional SignedInt;
        9 SHORT_STAY_DAYS "前月までの短期入所利用日数" 5 Optional Int;
        10 DAY "サービス利用日" 8 Required Date;
        11 PRORATED_DAYS "日割対象日" 31 Optional DayFlags;
        12 START "サービス開始時刻" 4 Required Time;
        13 END "サービス終了時刻" 4 Required Time;
        14 COUNT "サービス回数" 2 Required Int;
        15 SERVICE_CODE "サービスコード" 6 Required ServiceCode;
        16 TAIS "TAISコード" 12 Conditional EquipmentCode, v4;
        17 NOTIFIED_CODE "福祉用具届出コード" 12 Conditional EquipmentCode, v4;
        18 EQUIPMENT_NAME "用具名称（機種名）" - Optional Free, v4;
        19 DETAIL_NO "明細判別コード" 2 Optional Int;
        20 PROVIDER "サービス事業者コード" 10 Required Office;
        21 PROVIDER_NAME "サービス事業所名" - Optional Free;
        22 SATELLITE "サテライト枝番" 2 Optional Int;
        23 OVER30 "３０日超区分" 1 Required Code(codes::FLAG_01);
        24 UPDATER "更新業者コード" 10 Optional Office;
        25 IDENTIFIER "識別子" 1 Optional Unused;
    }
}

items! {
    /// `DLTPLAN` 第6表 予定削除 (4 items).
    SCHEDULE_DELETE, schedule_delete {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 MONTH "削除対象年月" 6 Required YearMonth;
    }
}

items! {
    /// `DLTJSK` 第6表 実績情報削除 (6 items).
    ACTUAL_DELETE, actual_delete {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 MONTH "削除対象年月" 6 Required YearMonth;
        5 PROVIDER "サービス事業者コード" 10 Required Office;
        6 KIND "サービス種類コード" 2 Required Kind;
    }
}

items! {
    /// `UPSIKYU` 第7表 サービス利用票別表 (37 items in V4, 34 in V3; service lines plus subtotal and total lines).
    SIKYU, sikyu {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CREATED "作成年月日" 8 Required Date;
        5 MONTH "対象年月" 6 Required YearMonth;
        6 PROVIDER_NAME "サービス事業所名" - Optional Free;
        7 PROVIDER "サービス事業所コード" 10 Required Office;
        8 SATELLITE "サテライト枝番" 2 Optional Int;
        9 SERVICE_CODE "サービスコード" 6 Required SikyuCode;
        10 TAIS "TAISコード" 12 Conditional EquipmentCode, v4;
        11 NOTIFIED_CODE "福祉用具届出コード" 12 Conditional EquipmentCode, v4;
        12 EQUIPMENT_NAME "用具名称（機種名）" - Optional Free, v4;
        13 UNITS "単位数" 6 Required SignedInt;
        14 DISCOUNT_RATE "割引後率" 5 Optional Int;
        15 DISCOUNT_UNITS "割引後単位数" 6 Optional Int;
        16 COUNT "回数／日数" 3 ServiceLines Int;
        17 SERVICE_UNITS "サービス単位金額" 5 Optional SignedInt;
        18 MANAGED_UNITS "給付管理単位数" 6 Optional SignedInt;
        19 KIND_OVER "種類支給限度基準超単位数" 6 Optional Int;
        20 KIND_WITHIN "種類支給限度基準内単位数" 6 Optional Int;
        21 CLASS_OVER "区分支給限度基準超単位数" 6 Optional Int;
        22 CLASS_WITHIN "区分支給限度基準内単位数" 6 Optional Int;
        23 UNIT_PRICE "単位数単価" 6 Optional Decimal;
        24 TOTAL_COST "費用総額保険／事業対象分" 6 Optional Int;
        25 BENEFIT_RATE "給付率" 6 Optional Int;
        26 CLAIM "保険／事業費請求額" 6 Optional Int;
        27 FIXED_SHARE_PRICE "定額利用者負担単価金額" 6 Optional Int;
        28 USER_SHARE "利用者負担保険／事業対象分" 6 Optional Int;
        29 USER_FULL_SHARE "利用者負担（全額負担分）" 6 Optional Int;
        30 DAYS_BEFORE "前月までの利用日数" 5 Optional Int;
        31 DAYS_PLANNED "当月の計画利用日数" 2 Optional Int;
        32 DAYS_TOTAL "累積利用日数" 5 Optional Int;
        33 OVER30 "３０日超区分" 1 Required Code(codes::FLAG_01);
        34 OFFICE_CODE "事業所コード" 10 Optional Office;
        35 ENTERED_BY "入力者コード" 10 Optional Office;
        36 UPDATER "更新業者コード" 10 Optional Office;
        37 IDENTIFIER "識別子" 1 Optional Unused;
    }
}

items! {
    /// `UPKIHON` 利用者基本情報 (71 items, V4 only).
    KIHON, kihon {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CONSULT_DATE "相談日" 8 Required Date;
        5 PLAN_TYPE "計画種類" 1 Required Code(codes::ONE_TWO);
        6 ENTRUSTED "委託の有無" 1 Probably Code(codes::ONE_TWO);
        7 AUTHOR "作成担当者" - Optional Free;
        8 CONSULT_METHOD "相談方法" 2 Optional Code(codes::CONSULT_METHOD);
        9 CONSULT_METHOD_OTHER "相談方法(その他の内容)" - Optional Free;
        10 CONSULT_COUNT "相談回数" 2 Optional Code(codes::CONSULT_COUNT);
        11 PREVIOUS_CONSULT_DATE "前回相談日" 8 Optional Date;
        12 CURRENT_STATE "利用者の現況" 2 Optional Code(codes::CURRENT_STATE);
        13 CURRENT_STATE_NOTE "利用者の現況(状況補足)" - Optional Free;
        14 NAME_KANA "利用者氏名ﾌﾘｶﾞﾅ" - Required Free;
        15 NAME "利用者氏名" - Required Free;
        16 SEX "利用者性別" 1 Required Code(codes::SEX);
        17 BIRTH_DATE "利用者生年月日" 8 Required Date;
        18 ADDRESS "利用者住所" - Optional Free;
        19 PHONE "利用者電話番号" 15 Optional Phone;
        20 FAX "利用者Fax番号" 15 Optional Phone;
        21 PHYSICAL_INDEPENDENCE "障害高齢者の日常生活自立度" 2 Optional Code(codes::PHYSICAL_INDEPENDENCE);
        22 DEMENTIA_INDEPENDENCE "認知症高齢者の日常生活自立度" 2 Optional Code(codes::DEMENTIA_INDEPENDENCE);
        23 CARE_LEVEL "要介護状態区分" 2 Optional Code(codes::CARE_LEVEL_KIHON);
        24 CERT_FROM "認定有効期限開始日" 8 Optional Date;
        25 CERT_TO "認定有効期間終了日" 8 Optional Date;
        26 PREVIOUS_CARE_LEVEL "前回の介護度" 2 Optional Code(codes::CARE_LEVEL_KIHON);
        27 CHECKLIST_RESULT "基本チェックリスト記入結果" 1 Optional Code(codes::ONE_TWO);
        28 CHECKLIST_DATE "基本チェックリスト記入日" 8 Optional Date;
        29 DISABILITY_PHYSICAL "障害等認定(身障)" 1 Optional Code(codes::FLAG_01);
        30 DISABILITY_INTELLECTUAL "障害等認定(療育)" 1 Optional Code(codes::FLAG_01);
        31 DISABILITY_MENTAL "障害等認定(精神)" 1 Optional Code(codes::FLAG_01);
        32 DISABILITY_INTRACTABLE "障害等認定(難病)" 1 Optional Code(codes::FLAG_01);
        33 DISABILITY_NOTES "障害等認定特記事項" - Optional Free;
        34 RESIDENCE "居住形態" 2 Optional Code(codes::RESIDENCE);
        35 ROOM_FLOOR "自室の階数" 2 Optional Int;
        36 HOME_ALTERATION "住宅改修の有無" 1 Optional Code(codes::ONE_TWO);
        37 PENSION_NATIONAL "経済状況(国民年金)" 1 Optional Code(codes::FLAG_01);
        38 PENSION_EMPLOYEE "経済状況(厚生年金)" 1 Optional Code(codes::FLAG_01);
        39 PENSION_DISABILITY "経済状況(障害年金)" 1 Optional Code(codes::FLAG_01);
        40 PUBLIC_ASSISTANCE "経済状況(生活保護)" 1 Optional Code(codes::FLAG_01);
        41 ECONOMIC_NOTES "経済状況詳細" - Optional Free;
        42 VISITOR_NAME "来所者(相談者)氏名" - Optional Free;
        43 VISITOR_ADDRESS "来所者(相談者)住所" - Optional Free;
        44 VISITOR_PHONE "来所者(相談者)電話番号" 15 Optional Phone;
        45 VISITOR_RELATION "来所者(相談者)続柄" - Optional Free;
        46 EMERGENCY1_NAME "１緊急連絡先(氏名)" - Optional Free;
        47 EMERGENCY1_RELATION "１緊急連絡先(続柄)" - Optional Free;
        48 EMERGENCY1_ADDRESS "１緊急連絡先(住所)" - Optional Free;
        49 EMERGENCY1_PHONE "１緊急連絡先(電話番号)" 15 Optional Phone;
        50 EMERGENCY2_NAME "２緊急連絡先(氏名)" - Optional Free;
        51 EMERGENCY2_RELATION "２緊急連絡先(続柄)" - Optional Free;
        52 EMERGENCY2_ADDRESS "２緊急連絡先(住所)" - Optional Free;
        53 EMERGENCY2_PHONE "２緊急連絡先(電話番号)" 15 Optional Phone;
        54 EMERGENCY3_NAME "３緊急連絡先(氏名)" - Optional Free;
        55 EMERGENCY3_RELATION "３緊急連絡先(続柄)" - Optional Free;
        56 EMERGENCY3_ADDRESS "３緊急連絡先(住所)" - Optional Free;
        57 EMERGENCY3_PHONE "３緊急連絡先(電話番号)" 15 Optional Phone;
        58 EMERGENCY4_NAME "４緊急連絡先(氏名)" - Optional Free;
        59 EMERGENCY4_RELATION "４緊急連絡先(続柄)" - Optional Free;
        60 EMERGENCY4_ADDRESS "４緊急連絡先(住所)" - Optional Free;
        61 EMERGENCY4_PHONE "４緊急連絡先(電話番号)" 15 Optional Phone;
        62 IMAGE_NAME "家族構成 画像ファイル名" - Optional Free;
        63 FAMILY "家族関係等の状況" - Optional Free;
        64 LIFE_HISTORY "今までの生活" - Optional Free;
        65 DAILY_LIFE "１日の生活・すごし方(生活全般)" - Optional Free;
        66 HOBBIES "趣味・楽しみ・特技" - Optional Free;
        67 COMMUNITY "友人・地域との関係" - Optional Free;
        68 PUBLIC_SERVICES "現在利用している公的サービス" - Optional Free;
        69 PRIVATE_SERVICES "現在利用している非公的サービス" - Optional Free;
        70 CONSENT_DATE "同意日" 8 Optional Date;
        71 CONSENT_NAME "同意者氏名" - Optional Free;
    }
}

items! {
    /// `UPKIHON_SUB1` 利用者基本情報（別表1）タイムスケジュール (7 items).
    KIHON_SUB1, kihon_sub1 {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CONSULT_DATE "相談日" 8 Required Date;
        5 TIME "時間" - Optional Free;
        6 SELF "本人の生活状況" - Optional Free;
        7 FAMILY "介護者・家族の生活状況" - Optional Free;
    }
}

items! {
    /// `UPKIHON_SUB2` 利用者基本情報（別表2）現病歴・既往歴 (11 items).
    KIHON_SUB2, kihon_sub2 {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CONSULT_DATE "相談日" 8 Required Date;
        5 WHEN "年月日" - Optional Free;
        6 DISEASE "病名" - Optional Free;
        7 DOCTOR "医療機関・医師名" - Optional Free;
        8 ATTENDING "主治医・意見作成者フラグ" 1 Optional Code(codes::ONE_TWO);
        9 DOCTOR_PHONE "医療機関・医師電話番号" 15 Optional Phone;
        10 COURSE "経過" 2 Optional Code(codes::COURSE);
        11 TREATMENT "治療中の内容" - Optional Free;
    }
}

items! {
    /// `DLTKIHON` 利用者基本情報_削除 (4 items).
    KIHON_DELETE, kihon_delete {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 CONSULT_DATE "相談日" 8 Required Date;
    }
}

items! {
    /// `UPYOBO` 介護予防サービス・支援計画書 (57 items, V4 only).
    YOBO, yobo {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 PLAN_DATE "計画作成(変更)日" 8 Required Date;
        5 PLAN_TYPE "計画種類" 1 Required Code(codes::ONE_TWO);
        6 ENTRUSTED "委託の有無" 1 Probably Code(codes::ONE_TWO);
        7 REFERENCE_NO "整理番号" - Optional Free;
        8 NAME "利用者名" - Required Free;
        9 CERT_DATE "認定年月日" 8 Optional Date;
        10 CERT_FROM "認定有効期間開始日" 8 Optional Date;
        11 CERT_TO "認定有効期間終了日" 8 Optional Date;
        12 PLAN_CLASS "計画書区分" 2 Optional Code(codes::PLAN_CLASS);
        13 CERT_STATUS "認定状況区分" 1 Optional Code(codes::CERT_STATUS);
        14 SUPPORT_LEVEL "要支援状態区分" 1 Optional Code(codes::SUPPORT_LEVEL);
        15 CENTER_STAFF "計画作成者氏名（地域包括支援センター担当者名）" - Optional Free;
        16 CARE_MANAGER "計画作成者氏名（担当介護支援専門員名）" - Optional Free;
        17 OFFICE_NAME "計画作成者事業者・事業所名" - Optional Free;
        18 OFFICE_ADDRESS "計画作成者事業者・事業所住所" - Optional Free;
        19 OFFICE_PHONE "計画作成者事業者・事業所電話番号" 15 Optional Phone;
        20 FIRST_PLAN_DATE "初回作成日" 8 Optional Date;
        21 CENTER "担当地域包括支援センター" - Optional Free;
        22 GOAL_DAY "目標とする生活(1日)" - Optional Free;
        23 GOAL_YEAR "目標とする生活(1年)" - Optional Free;
        24 MOBILITY_NOW "【運動・移動】現在の状況" - Optional Free;
        25 MOBILITY_WISH "【運動・移動】本人・家族の意欲・意向" - Optional Free;
        26 MOBILITY_ISSUE "【運動・移動】領域における課題の有無" 1 Optional Code(codes::ONE_TWO);
        27 MOBILITY_BACKGROUND "【運動・移動】領域における課題（背景・原因）" - Optional Free;
        28 HOUSEHOLD_NOW "【日常生活(家庭生活)】現在の状況" - Optional Free;
        29 HOUSEHOLD_WISH "【日常生活(家庭生活)】本人・家族の意欲・意向" - Optional Free;
        30 HOUSEHOLD_ISSUE "【日常生活(家庭生活)】領域における課題の有無" 1 Optional Code(codes::ONE_TWO);
        31 HOUSEHOLD_BACKGROUND "【日常生活(家庭生活)】領域における課題（背景・原因）" - Optional Free;
        32 SOCIAL_NOW "【社会参加、対人関係・コミュニケーション】現在の状況" - Optional Free;
        33 SOCIAL_WISH "【社会参加、対人関係・コミュニケーション】本人・家族の意欲・意向" - Optional Free;
        34 SOCIAL_ISSUE "【社会参加、対人関係・コミュニケーション】領域における課題の有無" 1 Optional Code(codes::ONE_TWO);
        35 SOCIAL_BACKGROUND "【社会参加、対人関係・コミュニケーション】領域における課題（背景・原因）" - Optional Free;
        36 HEALTH_NOW "【健康管理】現在の状況" - Optional Free;
        37 HEALTH_WISH "【健康管理】本人・家族の意欲・意向" - Optional Free;
        38 HEALTH_ISSUE "【健康管理】領域における課題の有無" 1 Optional Code(codes::ONE_TWO);
        39 HEALTH_BACKGROUND "【健康管理】領域における課題（背景・原因）" - Optional Free;
        40 HEALTH_NOTES "健康状態の留意点" - Optional Free;
        41 SUPPORT_POLICY "妥当な支援の実施に向けた方針" - Optional Free;
        42 OVERALL_POLICY "総合的な方針" - Optional Free;
        43 CHECKLIST_EXERCISE "基本チェックリストの該当数(運動不足)" 1 Optional Int;
        44 CHECKLIST_NUTRITION "基本チェックリストの該当数(栄養改善)" 1 Optional Int;
        45 CHECKLIST_ORAL "基本チェックリストの該当数(口腔内ケア)" 1 Optional Int;
        46 CHECKLIST_WITHDRAWAL "基本チェックリストの該当数(閉じこもり予防)" 1 Optional Int;
        47 CHECKLIST_MEMORY "基本チェックリストの該当数(物忘れ予防)" 1 Optional Int;
        48 CHECKLIST_DEPRESSION "基本チェックリストの該当数(うつ予防)" 1 Optional Int;
        49 PROGRAM_EXERCISE "事業プログラムの要否(運動不足)" 1 Optional Code(codes::ONE_TWO);
        50 PROGRAM_NUTRITION "事業プログラムの要否(栄養改善)" 1 Optional Code(codes::ONE_TWO);
        51 PROGRAM_ORAL "事業プログラムの要否(口腔内ケア)" 1 Optional Code(codes::ONE_TWO);
        52 PROGRAM_WITHDRAWAL "事業プログラムの要否(閉じこもり予防)" 1 Optional Code(codes::ONE_TWO);
        53 PROGRAM_MEMORY "事業プログラムの要否(物忘れ予防)" 1 Optional Code(codes::ONE_TWO);
        54 PROGRAM_DEPRESSION "事業プログラムの要否(うつ予防)" 1 Optional Code(codes::ONE_TWO);
        55 CENTER_OPINION "地域包括支援センター意見" - Optional Free;
        56 CONSENT_DATE "同意日" 8 Optional Date;
        57 CONSENT_NAME "同意者氏名" - Optional Free;
    }
}

items! {
    /// `UPYOBO_SUB` 介護予防サービス・支援計画書（別表）支援計画 (17 items).
    YOBO_SUB, yobo_sub {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 PLAN_DATE "計画作成(変更)日" 8 Required Date;
        5 ISSUE_NO "課題ＮＯ" 2 Optional Int;
        6 ISSUE "総合的課題" - Optional Free;
        7 PROPOSAL "課題に対する目標と具体策の提案" - Optional Free;
        8 WISH "具体策についての意向本人・家族" - Optional Free;
        9 GOAL "目標" - Optional Free;
        10 SUPPORT_NO "支援計画ＮＯ" 2 Optional Int;
        11 POINT "【支援計画】目標についての支援のポイント" - Optional Free;
        12 INFORMAL "【支援計画】本人等のセルフケアや家族の支援、インフォーマルサービス（民間サービス）" - Optional Free;
        13 FORMAL "【支援計画】介護保険サービス又は地域支援事業（総合事業のサービス）" - Optional Free;
        14 SERVICE_NO "利用サービスＮＯ" 2 Optional Int;
        15 SERVICE_TYPE "【利用サービス】サービス種別" - Optional Free;
        16 PROVIDER "【利用サービス】事業所(利用先)" - Optional Free;
        17 PERIOD "【利用サービス】期間" - Optional Free;
    }
}

items! {
    /// `DLTYOBO` 介護予防サービス・支援計画書_削除 (4 items).
    YOBO_DELETE, yobo_delete {
        1 VERSION "CSVバージョン" 6 Required Version;
        2 INSURER "保険者番号" 6 Required Insurer;
        3 INSURED "被保険者番号" 10 Required Insured;
        4 PLAN_DATE "計画作成(変更)日" 8 Required Date;
    }
}
