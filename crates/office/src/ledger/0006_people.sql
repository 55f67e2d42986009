-- The people the office's own files name (利用者補足情報, 利用者基本情報): a 実績 names a
-- person only by number, and the pages show the name the office already holds.
CREATE TABLE people (
    insurer TEXT NOT NULL,
    insured TEXT NOT NULL,
    name TEXT NOT NULL,
    kana TEXT NOT NULL,
    seen INTEGER NOT NULL,
    PRIMARY KEY (insurer, insured)
);
