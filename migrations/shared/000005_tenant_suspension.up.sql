-- A tenant can be suspended by hand (polls suspend), besides being past its
-- paid_until without a trial: its public pages then answer 402 and only its
-- superusers may use its admin. Nothing else changes and no data is touched.
BEGIN;
ALTER TABLE public.tenants ADD COLUMN suspended boolean NOT NULL DEFAULT false;
COMMIT;
