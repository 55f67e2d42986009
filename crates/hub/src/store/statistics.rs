//! What the operator console counts: the register of offices an area has (the denominator
//! of adoption, as the MHLW's 申請率 tables have it), adoption by area, and the busiest
//! pairs of offices.

/// An office in the register the operator loads (from 介護サービス情報公表 or the
/// municipalities' lists): enrolled or not, it counts towards its area's total.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryEntry {
    pub number: String,
    pub name: String,
    pub kind: String,
    /// 都道府県番号.
    pub prefecture: u8,
    /// 市区町村コード (5 digits, without the check digit).
    pub municipality: String,
    pub municipality_name: String,
}

/// An area's offices: in the register, enrolled with the relay, and active (sent or
/// received a parcel in the period asked about).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adoption {
    /// 都道府県番号 as two digits, or the 市区町村コード.
    pub area: String,
    /// Empty for a prefecture (the caller names it); the municipality's name otherwise.
    pub name: String,
    pub registered: u64,
    pub enrolled: u64,
    pub active: u64,
}

/// Parcels from one office to another in a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairVolume {
    pub sender: String,
    pub recipient: String,
    pub parcels: u64,
    pub bytes: u64,
}
