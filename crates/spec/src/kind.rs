//! The interface files of the standard (§2) and what each one is for.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::version::Generation;

/// One interface file of the standard, named by its file-name prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    /// `UPHOSOKU` 利用者補足情報 (tied to 計画書 when its month is `000000`, else to 利用票).
    Hosoku,
    /// `UP1KYO` 居宅サービス計画書 第1表.
    Plan1,
    /// `DLT1KYO` 居宅サービス計画1表_削除.
    Plan1Delete,
    /// `UP2KYO` 居宅サービス計画書 第2表.
    Plan2,
    /// `UP3KYO` 居宅サービス計画書 第3表 (週間サービス計画表), V4 only.
    Plan3,
    /// `UPPLAN` 第6表（サービス利用票）予定.
    Schedule,
    /// `UPJSK` 第6表 実績情報.
    Actual,
    /// `DLTPLAN` 第6表 予定削除.
    ScheduleDelete,
    /// `DLTJSK` 第6表 実績情報削除.
    ActualDelete,
    /// `UPSIKYU` 第7表（サービス利用票別表）.
    Sikyu,
    /// `UPKIHON` 利用者基本情報 (介護予防), V4 only.
    Kihon,
    /// `UPKIHON_SUB1` 利用者基本情報（別表1）タイムスケジュール.
    KihonSub1,
    /// `UPKIHON_SUB2` 利用者基本情報（別表2）現病歴・既往歴.
    KihonSub2,
    /// `UPKIHON_IMAGE` 家族構成 画像ファイル (JPEG, not CSV).
    KihonImage,
    /// `DLTKIHON` 利用者基本情報_削除.
    KihonDelete,
    /// `UPYOBO` 介護予防サービス・支援計画書.
    Yobo,
    /// `UPYOBO_SUB` 介護予防サービス・支援計画書（別表）.
    YoboSub,
    /// `DLTYOBO` 介護予防サービス・支援計画書_削除.
    YoboDelete,
}

impl FileKind {
    pub const ALL: [FileKind; 18] = [
        FileKind::Hosoku,
        FileKind::Plan1,
        FileKind::Plan1Delete,
        FileKind::Plan2,
        FileKind::Plan3,
        FileKind::Schedule,
        FileKind::Actual,
        FileKind::ScheduleDelete,
        FileKind::ActualDelete,
        FileKind::Sikyu,
        FileKind::Kihon,
        FileKind::KihonSub1,
        FileKind::KihonSub2,
        FileKind::KihonImage,
        FileKind::KihonDelete,
        FileKind::Yobo,
        FileKind::YoboSub,
        FileKind::YoboDelete,
    ];

    pub fn prefix(&self) -> &'static str {
        match self {
            Self::Hosoku => "UPHOSOKU",
            Self::Plan1 => "UP1KYO",
            Self::Plan1Delete => "DLT1KYO",
            Self::Plan2 => "UP2KYO",
            Self::Plan3 => "UP3KYO",
            Self::Schedule => "UPPLAN",
            Self::Actual => "UPJSK",
            Self::ScheduleDelete => "DLTPLAN",
            Self::ActualDelete => "DLTJSK",
            Self::Sikyu => "UPSIKYU",
            Self::Kihon => "UPKIHON",
            Self::KihonSub1 => "UPKIHON_SUB1",
            Self::KihonSub2 => "UPKIHON_SUB2",
            Self::KihonImage => "UPKIHON_IMAGE",
            Self::KihonDelete => "DLTKIHON",
            Self::Yobo => "UPYOBO",
            Self::YoboSub => "UPYOBO_SUB",
            Self::YoboDelete => "DLTYOBO",
        }
    }

    /// The name of the file as the standard writes it in Japanese.
    pub fn name_ja(&self) -> &'static str {
        match self {
            Self::Hosoku => "利用者補足情報",
            Self::Plan1 => "居宅サービス計画書第1表",
            Self::Plan1Delete => "居宅サービス計画1表_削除",
            Self::Plan2 => "居宅サービス計画書第2表",
            Self::Plan3 => "居宅サービス計画書第3表",
            Self::Schedule => "第6表（サービス利用票）予定",
            Self::Actual => "第6表実績情報",
            Self::ScheduleDelete => "第6表（サービス利用票）予定削除",
            Self::ActualDelete => "第6表実績情報削除",
            Self::Sikyu => "第7表（サービス利用票別表）",
            Self::Kihon => "利用者基本情報",
            Self::KihonSub1 => "利用者基本情報（別表1）",
            Self::KihonSub2 => "利用者基本情報（別表2）",
            Self::KihonImage => "家族構成画像",
            Self::KihonDelete => "利用者基本情報_削除",
            Self::Yobo => "介護予防サービス・支援計画書",
            Self::YoboSub => "介護予防サービス・支援計画書（別表）",
            Self::YoboDelete => "介護予防サービス・支援計画書_削除",
        }
    }

    pub fn from_prefix(prefix: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.prefix().eq_ignore_ascii_case(prefix))
    }

    /// Whether the file name carries a 年月 token after the prefix (利用票-type files).
    pub fn has_month_token(&self) -> bool {
        matches!(
            self,
            Self::Hosoku
                | Self::Schedule
                | Self::Actual
                | Self::ScheduleDelete
                | Self::ActualDelete
                | Self::Sikyu
        )
    }

    /// Whether this kind exists in the given generation (§1.2: UP3KYO and the 介護予防 files are V4 only).
    pub fn exists_in(&self, generation: Generation) -> bool {
        generation == Generation::V4
            || !matches!(
                self,
                Self::Plan3
                    | Self::Kihon
                    | Self::KihonSub1
                    | Self::KihonSub2
                    | Self::KihonImage
                    | Self::KihonDelete
                    | Self::Yobo
                    | Self::YoboSub
                    | Self::YoboDelete
            )
    }

    /// Whether the file is CSV (all but the family-structure image).
    pub fn is_csv(&self) -> bool {
        *self != Self::KihonImage
    }

    /// Whether a service provider sends this kind (実績 and its deletion); planners send the rest.
    pub fn sent_by_provider(&self) -> bool {
        matches!(self, Self::Actual | Self::ActualDelete)
    }

    /// Whether this file withdraws earlier data (削除).
    pub fn is_deletion(&self) -> bool {
        matches!(
            self,
            Self::Plan1Delete
                | Self::ScheduleDelete
                | Self::ActualDelete
                | Self::KihonDelete
                | Self::YoboDelete
        )
    }
}

impl fmt::Display for FileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

impl Serialize for FileKind {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.prefix())
    }
}
