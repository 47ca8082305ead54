-- Appointments with queue numbers (预约取号, issue #7). See app/src/server/appointments.rs.
--
-- One row per booking. A row holds its seat while its status is 'booked' or 'called'; cancelling frees it. The two
-- partial unique indexes are what stops over-booking under concurrent requests: a slot of a window has `capacity`
-- seats (0 … capacity-1), a person has `per_person_per_day` places (person_seat) per centre and day, and an insert
-- that takes a seat already held does nothing (ON CONFLICT DO NOTHING), so the booking picks another or is refused.
CREATE TABLE appointment (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES account (id),
    centre_id     TEXT    NOT NULL,
    window_letter TEXT    NOT NULL,
    item_id       TEXT    NOT NULL,          -- the catalog item it is for (for a case: the item served there)
    case_number   TEXT,                      -- set when booked for one of the account's cases
    day           TEXT    NOT NULL,          -- YYYY-MM-DD, Beijing time
    start_minute  INTEGER NOT NULL,          -- minutes after midnight
    end_minute    INTEGER NOT NULL,
    slot_index    INTEGER NOT NULL,
    seat          INTEGER NOT NULL,
    person_seat   INTEGER NOT NULL,
    queue_number  TEXT    NOT NULL,          -- e.g. A007
    status        TEXT    NOT NULL,          -- booked | called | cancelled
    created_at    TEXT    NOT NULL,
    called_at     TEXT,
    cancelled_at  TEXT
);
CREATE UNIQUE INDEX appointment_seat ON appointment (centre_id, window_letter, day, slot_index, seat)
    WHERE status <> 'cancelled';
CREATE UNIQUE INDEX appointment_person_seat ON appointment (account_id, centre_id, day, person_seat)
    WHERE status <> 'cancelled';
CREATE INDEX appointment_centre_day ON appointment (centre_id, day, status, slot_index);
CREATE INDEX appointment_account ON appointment (account_id, day);
