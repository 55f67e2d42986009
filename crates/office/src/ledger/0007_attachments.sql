-- The names of a received parcel's attachments (月次報告書, モニタリング: files outside the
-- standard, kept in attachments/ and never placed for the care software), so that the inbox
-- can say what came beside the standard files without opening the parcel again.
ALTER TABLE incoming ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
