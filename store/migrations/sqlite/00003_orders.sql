-- +goose Up
-- Price lists per customer, versioned by validity; a NULL valid_until is
-- valid until further notice.
CREATE TABLE agreements (
    id                             text PRIMARY KEY,
    tenant_id                      text NOT NULL REFERENCES tenants(id),
    customer_id                    text NOT NULL REFERENCES organizations(id),
    participant_hour_price_cents   bigint NOT NULL CHECK (participant_hour_price_cents >= 0),
    supervisor_hour_price_cents    bigint NOT NULL CHECK (supervisor_hour_price_cents >= 0),
    minimum_billable_minutes       integer NOT NULL CHECK (minimum_billable_minutes BETWEEN 0 AND 1440),
    late_cancellation_window_hours integer NOT NULL CHECK (late_cancellation_window_hours BETWEEN 0 AND 720),
    late_cancellation_fee_cents    bigint NOT NULL CHECK (late_cancellation_fee_cents >= 0),
    payment_term_days              integer NOT NULL CHECK (payment_term_days BETWEEN 0 AND 365),
    employment_model               text NOT NULL CHECK (employment_model IN ('subcontracting', 'customer_employs')),
    valid_from                     TEXT NOT NULL,
    valid_until                    TEXT,
    created_at                     DATETIME NOT NULL,
    -- SQLite has no exclusion constraint; overlapping versions are refused
    -- by the service, whose write transactions SQLite serialises.
    CHECK (valid_until IS NULL OR valid_until >= valid_from)
);
CREATE INDEX agreements_tenant ON agreements (tenant_id, id);

CREATE TABLE orders (
    id            text PRIMARY KEY,
    tenant_id     text NOT NULL REFERENCES tenants(id),
    customer_id   text NOT NULL REFERENCES organizations(id),
    task_type_id  text NOT NULL REFERENCES task_types(id),
    organiser_id  text REFERENCES organizations(id),
    site_address  text NOT NULL CHECK (site_address <> ''),
    description   text NOT NULL DEFAULT '',
    crew_size     integer NOT NULL CHECK (crew_size BETWEEN 1 AND 50),
    status        text NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected', 'completed', 'cancelled')),
    schedule_kind text NOT NULL CHECK (schedule_kind IN ('once', 'weekly')),
    schedule_date TEXT,
    weekdays      text NOT NULL DEFAULT '',
    start_time    TEXT NOT NULL,
    end_time      TEXT NOT NULL,
    first_date    TEXT,
    last_date     TEXT,
    reject_reason text NOT NULL DEFAULT '',
    cancel_reason text NOT NULL DEFAULT '',
    cancelled_at  DATETIME,
    version       integer NOT NULL DEFAULT 1,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    CHECK (start_time <> end_time),
    CHECK ((schedule_kind = 'once') = (schedule_date IS NOT NULL)),
    CHECK ((schedule_kind = 'weekly') = (first_date IS NOT NULL AND weekdays <> '')),
    CHECK (last_date IS NULL OR last_date >= first_date),
    CHECK (status NOT IN ('accepted', 'completed') OR organiser_id IS NOT NULL)
);
CREATE INDEX orders_tenant ON orders (tenant_id, id);
CREATE INDEX orders_customer ON orders (tenant_id, customer_id, id);
-- The horizon job reads the accepted open-ended orders.
CREATE INDEX orders_open_ended ON orders (tenant_id, id) WHERE status = 'accepted' AND schedule_kind = 'weekly' AND last_date IS NULL;

CREATE TABLE shifts (
    id                text PRIMARY KEY,
    tenant_id         text NOT NULL REFERENCES tenants(id),
    order_id          text NOT NULL REFERENCES orders(id),
    organiser_id      text NOT NULL REFERENCES organizations(id),
    customer_id       text NOT NULL REFERENCES organizations(id),
    task_type_id      text NOT NULL REFERENCES task_types(id),
    date              TEXT NOT NULL,
    starts_at         DATETIME NOT NULL,
    ends_at           DATETIME NOT NULL,
    status            text NOT NULL CHECK (status IN ('open', 'staffed', 'completed', 'cancelled')),
    crew_size         integer NOT NULL CHECK (crew_size BETWEEN 1 AND 50),
    late_cancellation BOOLEAN NOT NULL DEFAULT false,
    cancelled_at      DATETIME,
    cancel_reason     text NOT NULL DEFAULT '',
    created_at        DATETIME NOT NULL,
    version           integer NOT NULL DEFAULT 1,
    -- Generation inserts if absent on this key, so it can run any number of times.
    CONSTRAINT shifts_order_date UNIQUE (order_id, date),
    CHECK (ends_at > starts_at),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CHECK (status = 'cancelled' OR NOT late_cancellation)
);
-- GET /v1/shifts pages in (starts_at, id) order, per tenant, customer or organiser.
CREATE INDEX shifts_tenant_start ON shifts (tenant_id, starts_at, id);
CREATE INDEX shifts_customer_start ON shifts (tenant_id, customer_id, starts_at, id);
CREATE INDEX shifts_organiser_start ON shifts (tenant_id, organiser_id, starts_at, id);
CREATE INDEX shifts_tenant_date ON shifts (tenant_id, date);

-- +goose Down
DROP TABLE shifts;
DROP TABLE orders;
DROP TABLE agreements;
