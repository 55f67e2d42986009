//! The information base's requests: disclosure checked against consent, registration and
//! role on every call and written to the person's access log either way; consent and the
//! registered offices, changed only by those the national model allows.

use super::Relay;
use super::portal::clinic_holder;
use crate::Result;
use crate::store::{
    Access, AccessAction, AccountStore, InfobaseStore, NewRecord, OpinionRequest, RecordVersion,
    Registration,
};
use renkei_infobase::access::{may_register, may_set_consent};
use renkei_infobase::certification::Application;
use renkei_infobase::{Consent, Participant, PersonKey, RecordKind, Refusal, Standing, decide};

/// The clinic an opinion was asked of or written by (its `clinic` item, else its author).
fn opinion_clinic(record: &RecordVersion) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(&record.body)
        .ok()
        .and_then(|body| {
            body.get("clinic")
                .and_then(|c| c.as_str())
                .map(str::to_owned)
        })
        .or_else(|| record.author.strip_prefix("clinic:").map(str::to_owned))
}

impl Relay {
    /// `person`'s records of `kind` as `viewer` may see them — every version — or the
    /// refusal that says why not. Either way the person's access log gets a line.
    pub async fn disclose(
        &self,
        viewer: &Participant,
        person: &PersonKey,
        kind: RecordKind,
        time: i64,
    ) -> Result<Vec<RecordVersion>> {
        let (_, shown) = self
            .disclose_kinds(viewer, person, &[kind], time)
            .await?
            .pop()
            .ok_or_else(|| crate::Error::Database("no answer for the kind asked".into()))?;
        Ok(shown?)
    }

    /// The same for several kinds at once, as a page asks for them: the person's standing
    /// and records read once, and one write for the access lines of all the kinds.
    pub async fn disclose_kinds(
        &self,
        viewer: &Participant,
        person: &PersonKey,
        kinds: &[RecordKind],
        time: i64,
    ) -> Result<Vec<(RecordKind, std::result::Result<Vec<RecordVersion>, Refusal>)>> {
        let mut answers = self
            .disclose_people(viewer, std::slice::from_ref(person), kinds, time)
            .await?;
        Ok(answers.pop().unwrap_or_default())
    }

    /// The same for many people at once (a care office's month): each person's each kind
    /// decided as if asked alone, and one write for all their access lines, durable before
    /// the answer as every disclosure is.
    pub async fn disclose_people(
        &self,
        viewer: &Participant,
        people: &[PersonKey],
        kinds: &[RecordKind],
        time: i64,
    ) -> Result<Vec<Vec<(RecordKind, std::result::Result<Vec<RecordVersion>, Refusal>)>>> {
        let mut answers = Vec::with_capacity(people.len());
        let mut accesses = Vec::new();
        for person in people {
            answers.push(
                self.decide_kinds(viewer, person, kinds, time, &mut accesses)
                    .await?,
            );
        }
        if !accesses.is_empty() {
            self.store.log_access(accesses).await?;
        }
        Ok(answers)
    }

    /// One person's kinds decided, their access lines added to `accesses`.
    async fn decide_kinds(
        &self,
        viewer: &Participant,
        person: &PersonKey,
        kinds: &[RecordKind],
        time: i64,
        accesses: &mut Vec<Access>,
    ) -> Result<Vec<(RecordKind, std::result::Result<Vec<RecordVersion>, Refusal>)>> {
        let standing = self.standing(viewer, person).await?;
        let all = match kinds {
            [RecordKind::AccessLog] => Vec::new(),
            [kind] => self.store.records(person, Some(*kind)).await?,
            _ => self.store.records(person, None).await?,
        };
        // The person's own looks are not "who saw my records": only others are logged.
        let the_person = matches!(viewer, Participant::Person(me) if me == person);
        let mut answers = Vec::with_capacity(kinds.len());
        for &kind in kinds {
            let mut records: Vec<RecordVersion> =
                all.iter().filter(|r| r.kind == kind).cloned().collect();
            let mut own_opinion = false;
            if let (Participant::Clinic { number, .. }, RecordKind::Opinion) = (viewer, kind) {
                // A clinic is shown its own opinions only, never the others'.
                records.retain(|r| opinion_clinic(r).as_deref() == Some(number.as_str()));
                own_opinion = !records.is_empty();
            }
            let decision = decide(
                viewer,
                person,
                kind,
                Standing {
                    own_opinion,
                    ..standing
                },
            );
            if !the_person {
                accesses.push(Access {
                    person: person.clone(),
                    viewer: viewer.label(),
                    action: AccessAction::Read,
                    kind,
                    refusal: decision.err().map(|r| r.code().to_owned()),
                    time,
                });
            }
            answers.push((kind, decision.map(|()| records)));
        }
        Ok(answers)
    }

    /// Who asked for the person's records and who changed their consent or offices, newest
    /// first, `limit` lines after the newest `offset`: for the person and the municipality.
    pub async fn access_log(
        &self,
        viewer: &Participant,
        person: &PersonKey,
        limit: usize,
        offset: usize,
        time: i64,
    ) -> Result<Vec<Access>> {
        self.disclose(viewer, person, RecordKind::AccessLog, time)
            .await?;
        self.store.access_log(person, limit, offset).await
    }

    /// A page of the municipality's overview: the newest version of each record of `kind`
    /// of its insured, by 被保険者番号. Only a municipality has one; the page notes what it
    /// showed with [`Relay::note_shown`].
    pub async fn overview(
        &self,
        by: &Participant,
        kind: RecordKind,
        limit: usize,
        offset: usize,
    ) -> Result<Vec<RecordVersion>> {
        let Participant::Municipality { insurer } = by else {
            return Err(Refusal::RecordNotYours.into());
        };
        self.store
            .latest_records(insurer, kind, limit, offset)
            .await
    }

    /// The person's consent and registered offices (担当事業所), for whoever may change them:
    /// the person and their municipality.
    pub async fn standing_of(
        &self,
        by: &Participant,
        person: &PersonKey,
    ) -> Result<(Consent, Vec<Registration>)> {
        may_register(by, person)?;
        Ok((
            self.store.consent(person).await?,
            self.store.registrations(person).await?,
        ))
    }

    /// The opinions (主治医意見書) municipalities asked of the clinic `by`, newest first.
    pub async fn opinions_asked_of(&self, by: &Participant) -> Result<Vec<OpinionRequest>> {
        let Participant::Clinic { number, .. } = by else {
            return Err(Refusal::ClinicOpinionsOnly.into());
        };
        self.store.opinion_requests(number).await
    }

    /// Record one use of 住宅改修 or 福祉用具購入 as its own record: its key is the use's
    /// date and a number, so two uses on one day are two records.
    pub async fn record_allowance_use(
        &self,
        by: &Participant,
        person: &PersonKey,
        kind: RecordKind,
        used: renkei_infobase::allowance::Use,
        time: i64,
    ) -> Result<RecordVersion> {
        if !matches!(
            kind,
            RecordKind::HousingReform | RecordKind::EquipmentPurchase
        ) {
            return Err(crate::Error::BadRequest(
                "住宅改修か福祉用具購入の利用だけを記録できます / only housing reform or equipment purchase"
                    .into(),
            ));
        }
        let same_day = self
            .store
            .records(person, Some(kind))
            .await?
            .iter()
            .filter(|r| r.version == 1 && r.key.starts_with(&used.date))
            .count();
        let key = format!("{}-{}", used.date, same_day + 1);
        let body =
            serde_json::to_value(&used).map_err(|e| crate::Error::Database(e.to_string()))?;
        self.submit_one(by, person, kind, &key, body, time).await
    }

    /// Lines in the access logs of `people`, whose records of `kind` a list showed `viewer`
    /// (the municipality's overview), written in one go.
    pub async fn note_shown(
        &self,
        viewer: &Participant,
        people: &[PersonKey],
        kind: RecordKind,
        time: i64,
    ) -> Result<()> {
        if people.is_empty() {
            return Ok(());
        }
        let accesses = people
            .iter()
            .map(|person| Access {
                person: person.clone(),
                viewer: viewer.label(),
                action: AccessAction::Read,
                kind,
                refusal: None,
                time,
            })
            .collect();
        self.store.log_access(accesses).await
    }

    /// A line of the person's access log for a change `by` made (or tried to make).
    async fn log_change(
        &self,
        by: &Participant,
        person: &PersonKey,
        action: AccessAction,
        refusal: Option<Refusal>,
        time: i64,
    ) -> Result<()> {
        self.store
            .log_access(vec![Access {
                person: person.clone(),
                viewer: by.label(),
                action,
                kind: RecordKind::AccessLog,
                refusal: refusal.map(|r| r.code().to_owned()),
                time,
            }])
            .await
    }

    /// Record the person's consent as `by`. A withdrawal stands against every care office:
    /// only the municipality, with the person, records consent again. Every change, and
    /// every refused try, is a line in the person's access log naming who.
    pub async fn set_consent(
        &self,
        by: &Participant,
        person: &PersonKey,
        consent: Consent,
        time: i64,
    ) -> Result<()> {
        let mut allowed = may_set_consent(by, person, consent);
        if allowed.is_ok()
            && !matches!(
                by,
                Participant::Municipality { .. } | Participant::Person(_)
            )
            && self.store.consent(person).await? == Consent::Withdrawn
        {
            allowed = Err(Refusal::WithdrawalStands);
        }
        match allowed {
            // Another municipality or another person is not this person's business.
            Err(Refusal::OtherMunicipality | Refusal::OtherPerson) => {}
            // A refused try is shown to the person as well; a change the store logs itself.
            Err(refusal) => {
                self.log_change(
                    by,
                    person,
                    AccessAction::Consent(consent),
                    Some(refusal),
                    time,
                )
                .await?;
            }
            Ok(()) => {}
        }
        allowed?;
        self.store
            .set_consent(person, consent, &by.label(), time)
            .await?;
        tracing::info!(by = by.label(), ?consent, "consent recorded");
        Ok(())
    }

    /// Register `office` as the person's 担当事業所, confirmed by `by`: the person on their
    /// own page, or their municipality.
    pub async fn register_office(
        &self,
        by: &Participant,
        person: &PersonKey,
        office: &str,
        time: i64,
    ) -> Result<()> {
        may_register(by, person)?;
        check_office_number(office)?;
        let confirmed_by = match by {
            Participant::Person(_) => "person",
            _ => "municipality",
        };
        self.store
            .set_registration(person, office, Some(confirmed_by), time)
            .await?;
        self.store.drop_registration_request(person, office).await?;
        self.log_change(
            by,
            person,
            AccessAction::Registered(office.into()),
            None,
            time,
        )
        .await
    }

    /// End `office`'s registration: its next request is refused.
    pub async fn end_registration(
        &self,
        by: &Participant,
        person: &PersonKey,
        office: &str,
        time: i64,
    ) -> Result<()> {
        may_register(by, person)?;
        self.store
            .set_registration(person, office, None, time)
            .await?;
        self.log_change(
            by,
            person,
            AccessAction::RegistrationEnded(office.into()),
            None,
            time,
        )
        .await
    }

    /// A care office asks to be the person's 担当事業所; the person answers on their own page.
    /// The answer is the same whether or not the person is known, so nothing is learnt by
    /// asking.
    pub async fn request_registration(
        &self,
        by: &Participant,
        person: &PersonKey,
        time: i64,
    ) -> Result<()> {
        let office = match by {
            Participant::Office { number, .. } => number.clone(),
            Participant::Clinic { number, care_kinds } if !care_kinds.is_empty() => number.clone(),
            _ => return Err(Refusal::RegistrationNotYours.into()),
        };
        self.store
            .request_registration(person, &office, time)
            .await?;
        self.log_change(
            by,
            person,
            AccessAction::RegistrationRequested(office),
            None,
            time,
        )
        .await
    }

    /// The requests waiting for the person's answer, for the person themself.
    pub async fn registration_requests(
        &self,
        by: &Participant,
        person: &PersonKey,
    ) -> Result<Vec<crate::store::RegistrationRequest>> {
        match by {
            Participant::Person(me) if me == person => {
                self.store.registration_requests(person).await
            }
            Participant::Person(_) => Err(Refusal::OtherPerson.into()),
            _ => Err(Refusal::RegistrationNotYours.into()),
        }
    }

    /// The person's answer to an office's request: only the person gives it.
    pub async fn answer_registration(
        &self,
        by: &Participant,
        person: &PersonKey,
        office: &str,
        approved: bool,
        time: i64,
    ) -> Result<()> {
        match by {
            Participant::Person(me) if me == person => {}
            Participant::Person(_) => return Err(Refusal::OtherPerson.into()),
            _ => return Err(Refusal::RegistrationNotYours.into()),
        }
        if !self.store.drop_registration_request(person, office).await? {
            return Err(crate::Error::BadRequest(format!(
                "事業所「{office}」からの登録のお願いはありません / no request from office '{office}'"
            )));
        }
        if approved {
            self.register_office(by, person, office, time).await
        } else {
            self.log_change(
                by,
                person,
                AccessAction::RegistrationDeclined(office.into()),
                None,
                time,
            )
            .await
        }
    }
}

fn check_office_number(office: &str) -> Result<()> {
    if office.len() != 10 || !office.bytes().all(|b| b.is_ascii_digit()) {
        return Err(crate::Error::BadRequest(format!(
            "事業所番号「{office}」は10桁の数字です。被保険者証やケアプランの事業所番号を確かめてください / an office number has 10 digits"
        )));
    }
    Ok(())
}

impl Relay {
    /// Where `viewer` stands with `person`: their consent and whether it is a registered office.
    async fn standing(&self, viewer: &Participant, person: &PersonKey) -> Result<Standing> {
        let consent = self.store.consent(person).await?;
        let registered = match viewer.number() {
            Some(number) => self
                .store
                .registrations(person)
                .await?
                .iter()
                .any(|r| r.office == number && r.ended.is_none()),
            None => false,
        };
        Ok(Standing {
            consent,
            registered,
            own_opinion: false,
        })
    }

    /// May `by` write `record`? The municipality its own insured's records; a clinic an
    /// opinion asked of it; an office the plans of a person it is registered for under a
    /// standing consent; nobody the access log.
    async fn may_write(&self, by: &Participant, record: &NewRecord) -> Result<()> {
        let person = &record.person;
        match by {
            _ if record.kind == RecordKind::AccessLog => Err(Refusal::RecordNotYours.into()),
            Participant::Municipality { insurer } if *insurer != person.insurer => {
                Err(Refusal::OtherMunicipality.into())
            }
            Participant::Municipality { .. } => Ok(()),
            Participant::Clinic { number, .. } if record.kind == RecordKind::Opinion => {
                let asked = self
                    .store
                    .records(person, Some(RecordKind::Opinion))
                    .await?
                    .iter()
                    .any(|r| {
                        r.key == record.key && opinion_clinic(r).as_deref() == Some(number.as_str())
                    });
                asked
                    .then_some(())
                    .ok_or(Refusal::OpinionNotRequested.into())
            }
            Participant::Office { .. }
                if matches!(record.kind, RecordKind::CarePlan | RecordKind::DraftPlan) =>
            {
                let standing = self.standing(by, person).await?;
                decide(by, person, RecordKind::CarePlan, standing)?;
                let body: serde_json::Value =
                    serde_json::from_str(&record.body).unwrap_or_default();
                if body.get("decision").is_some() || body.get("decided").is_some() {
                    return Err(Refusal::DecisionIsThePersons.into());
                }
                // A plan's versions are its author's: another office cannot overwrite it.
                let author = by.label();
                let taken = self
                    .store
                    .records(person, Some(record.kind))
                    .await?
                    .iter()
                    .any(|r| {
                        r.key == record.key
                            && !r.author.starts_with("person:")
                            && r.author != author
                    });
                if taken {
                    return Err(Refusal::NotTheAuthor.into());
                }
                Ok(())
            }
            _ => Err(Refusal::RecordNotYours.into()),
        }
    }

    /// Keep `records` written by `by`, each checked first: one refused record keeps none.
    pub async fn submit(
        &self,
        by: &Participant,
        records: Vec<NewRecord>,
        time: i64,
    ) -> Result<Vec<RecordVersion>> {
        for record in &records {
            self.may_write(by, record).await?;
        }
        let author = by.label();
        let records = records
            .into_iter()
            .map(|r| NewRecord {
                author: author.clone(),
                time,
                ..r
            })
            .collect();
        let kept = self.store.put_records(records).await?;
        if let Participant::Municipality { .. } = by {
            // An opinion the municipality writes names the clinic asked: the clinic's list.
            for record in kept.iter().filter(|r| r.kind == RecordKind::Opinion) {
                if let Some(clinic) = opinion_clinic(record) {
                    self.store
                        .add_opinion_request(OpinionRequest {
                            clinic,
                            person: record.person.clone(),
                            key: record.key.clone(),
                            requested: time,
                        })
                        .await?;
                }
            }
        }
        Ok(kept)
    }

    /// The municipality asks a clinic for the 主治医意見書 of an application.
    pub async fn request_opinion(
        &self,
        by: &Participant,
        person: &PersonKey,
        application: &str,
        clinic: &str,
        time: i64,
    ) -> Result<RecordVersion> {
        if self
            .store
            .organisation(&clinic_holder(clinic))
            .await?
            .is_none()
        {
            return Err(crate::Error::BadRequest(format!(
                "医療機関「{clinic}」は登録されていません。医療機関コードを確かめてください / no such clinic"
            )));
        }
        // The request tells the doctor whom it is for, as the paper request does: the
        // applicant's name, フリガナ and birth date from their 被保険者証 (a clinic sees no
        // other record of theirs).
        let mut body = serde_json::json!({"clinic": clinic, "state": "依頼中", "requested": time});
        let card = self
            .store
            .records(person, Some(RecordKind::InsuranceCard))
            .await?
            .pop()
            .and_then(|card| serde_json::from_str::<serde_json::Value>(&card.body).ok());
        for item in ["name", "kana", "birth_date"] {
            if let Some(value) = card.as_ref().and_then(|c| c.get(item)) {
                body[item] = value.clone();
            }
        }
        self.submit_one(by, person, RecordKind::Opinion, application, body, time)
            .await
    }

    /// The municipality records a step of an application's progress (認定調査 … 結果通知),
    /// as a new version of the application.
    pub async fn advance_application(
        &self,
        by: &Participant,
        person: &PersonKey,
        key: &str,
        step: &str,
        date: &str,
        time: i64,
    ) -> Result<RecordVersion> {
        let newest = self
            .store
            .records(person, Some(RecordKind::Application))
            .await?
            .into_iter()
            .rev()
            .find(|r| r.key == key)
            .ok_or_else(|| {
                crate::Error::BadRequest(format!("申請「{key}」はありません / no such application"))
            })?;
        let mut application: Application = serde_json::from_str(&newest.body)
            .map_err(|e| crate::Error::Database(format!("an application is unreadable: {e}")))?;
        application
            .advance(step, date)
            .map_err(crate::Error::BadRequest)?;
        let body = serde_json::to_value(&application)
            .map_err(|e| crate::Error::Database(e.to_string()))?;
        self.submit_one(by, person, RecordKind::Application, key, body, time)
            .await
    }

    /// Write one record as `by`, under the same checks as [`Relay::submit`].
    pub async fn submit_one(
        &self,
        by: &Participant,
        person: &PersonKey,
        kind: RecordKind,
        key: &str,
        body: serde_json::Value,
        time: i64,
    ) -> Result<RecordVersion> {
        let record = NewRecord {
            person: person.clone(),
            kind,
            key: key.to_owned(),
            body: body.to_string(),
            author: by.label(),
            time,
        };
        self.submit(by, vec![record], time)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| crate::Error::Database("the record was not kept".into()))
    }

    /// The person approves (or rejects) a draft plan offered to them: a new version of the
    /// draft records the decision, so the draft itself is never changed.
    pub async fn decide_draft(
        &self,
        by: &Participant,
        person: &PersonKey,
        key: &str,
        approved: bool,
        time: i64,
    ) -> Result<RecordVersion> {
        match by {
            Participant::Person(me) if me == person => {}
            Participant::Person(_) => return Err(Refusal::OtherPerson.into()),
            _ => return Err(Refusal::RecordNotYours.into()),
        }
        let drafts = self
            .store
            .records(person, Some(RecordKind::DraftPlan))
            .await?;
        let newest = drafts.iter().rev().find(|r| r.key == key).ok_or_else(|| {
            crate::Error::BadRequest(format!(
                "同意・確認用のケアプラン「{key}」はありません / no such draft"
            ))
        })?;
        let mut body: serde_json::Value = serde_json::from_str(&newest.body)
            .unwrap_or(serde_json::Value::Object(Default::default()));
        if let Some(items) = body.as_object_mut() {
            items.insert(
                "decision".into(),
                (if approved { "approved" } else { "rejected" }).into(),
            );
            items.insert("decided".into(), time.into());
        }
        let kept = self
            .store
            .put_records(vec![NewRecord {
                person: person.clone(),
                kind: RecordKind::DraftPlan,
                key: key.to_owned(),
                body: body.to_string(),
                author: by.label(),
                time,
            }])
            .await?;
        kept.into_iter()
            .next()
            .ok_or_else(|| crate::Error::Database("the draft's decision was not kept".into()))
    }
}

/// What a bulk load kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loaded {
    pub kind: renkei_infobase::upload::UploadKind,
    pub lines: usize,
    pub records: usize,
    pub consents: usize,
    /// 被保険者番号 whose withdrawal stands: the file's consent for them was not recorded.
    pub withdrawn: Vec<String>,
}

impl Relay {
    /// Load a municipality's CSV of one kind: checked whole first, then kept in one go, or
    /// refused with every problem and nothing kept.
    pub async fn load(&self, by: &Participant, bytes: &[u8], time: i64) -> Result<Loaded> {
        let Participant::Municipality { insurer } = by else {
            return Err(Refusal::RecordNotYours.into());
        };
        let upload = renkei_infobase::upload::parse(bytes, insurer, &by.label(), time)
            .map_err(|problems| crate::Error::UploadInvalid { problems })?;
        let records = upload.records.len();
        self.store.put_records(upload.records).await?;
        // A file of consents never reverses a person's withdrawal: those are left as they
        // are and named in the answer, for the municipality to take up with the person.
        let mut people = upload.consents;
        let mut withdrawn = Vec::new();
        if !people.is_empty() {
            let standing_withdrawn: std::collections::HashSet<String> = self
                .store
                .withdrawn_consents(insurer)
                .await?
                .into_iter()
                .collect();
            people.retain(|p| {
                let keep = !standing_withdrawn.contains(&p.insured);
                if !keep {
                    withdrawn.push(p.insured.clone());
                }
                keep
            });
        }
        withdrawn.sort();
        withdrawn.dedup();
        let consents = people.len();
        if consents > 0 {
            self.store
                .set_consents(people, Consent::Standing, &by.label(), time)
                .await?;
        }
        tracing::info!(by = by.label(), kind = ?upload.kind, records, "records loaded");
        Ok(Loaded {
            kind: upload.kind,
            lines: upload.lines,
            records,
            consents,
            withdrawn,
        })
    }
}
