#if PostgreSQL
    /// The store's tables, its commit function and procedure, as numbered migrations (`Documentation/Operations.md`,
    /// "Running with PostgreSQL", shows the same SQL).
    ///
    /// `{schema}` stands for the store's schema name, a checked identifier. A migration is applied once,
    /// inside the transaction that records it in `{schema}.schema_version`, under an advisory lock, so
    /// two processes starting at once apply it once.
    enum PostgresSchema {
        /// The migrations in order; migration `n` is `migrations[n - 1]`. Never edit a released one:
        /// append a new one.
        static let migrations: [[String]] = [version1, version2]

        /// The number of the newest migration.
        static var latestVersion: Int { migrations.count }

        /// The procedure a commit calls: `commit_batch`, the notifications of the collections written,
        /// and the transaction's `COMMIT`, in one round trip. Its sequence reaches the client only after
        /// `COMMIT` has succeeded inside it, so a failure at commit time (a deferred check, the server
        /// process ended) is the call's error, never lost after an answer. `CALL` must not run inside a
        /// transaction block (the procedure's `COMMIT` would be refused), and the store never opens one
        /// around it.
        static let version2: [String] = [
            #"""
            CREATE PROCEDURE {schema}.commit_batch_and_notify(
                commit_token uuid, batch jsonb, channel text, collections text[],
                INOUT committed_sequence bigint DEFAULT NULL
            )
            LANGUAGE plpgsql AS $procedure$
            BEGIN
                committed_sequence := {schema}.commit_batch(commit_token, batch);
                PERFORM pg_notify(channel, c) FROM unnest(collections) AS c;
                COMMIT;
            END
            $procedure$
            """#
        ]

        /// The tables, and the function that applies a batch in one statement; one SQL statement per element.
        ///
        /// - `counter`: one row; every commit increments it first and holds its lock until COMMIT, so
        ///   commits take sequence numbers one at a time and in commit order: the change feed has no gap
        ///   a reader could skip (a commit numbered `n + 1` cannot start before `n` is visible).
        /// - `records`: the current state, keys and index values in the `"C"` collation (UTF-8 byte
        ///   order, as ``RecordKey`` orders).
        /// - `unique_entries`: one row per unique index value; its primary key makes the database refuse
        ///   a value held twice.
        /// - `entries`: the non-unique index values.
        /// - `commits`: one row per commit, with the client's token that settles an unknown outcome.
        /// - `changes`: what each commit wrote (`version IS NULL`: deleted), read by the change feed.
        static let version1: [String] = [
            #"""
            CREATE TABLE {schema}.counter (
                only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                last_sequence bigint NOT NULL
            )
            """#,
            #"""
            INSERT INTO {schema}.counter (only_row, last_sequence) VALUES (true, 0)
            """#,
            #"""
            CREATE TABLE {schema}.records (
                collection text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                version bigint NOT NULL,
                sequence bigint NOT NULL,
                value bytea NOT NULL,
                indexes jsonb NOT NULL,
                PRIMARY KEY (collection, id)
            )
            """#,
            #"""
            CREATE TABLE {schema}.unique_entries (
                name text COLLATE "C" NOT NULL,
                value text COLLATE "C" NOT NULL,
                collection text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                PRIMARY KEY (name, value),
                FOREIGN KEY (collection, id) REFERENCES {schema}.records ON DELETE CASCADE
            )
            """#,
            #"""
            CREATE INDEX unique_entries_record ON {schema}.unique_entries (collection, id)
            """#,
            #"""
            CREATE TABLE {schema}.entries (
                name text COLLATE "C" NOT NULL,
                value text COLLATE "C" NOT NULL,
                collection text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                PRIMARY KEY (name, value, collection, id),
                FOREIGN KEY (collection, id) REFERENCES {schema}.records ON DELETE CASCADE
            )
            """#,
            #"""
            CREATE INDEX entries_record ON {schema}.entries (collection, id)
            """#,
            #"""
            CREATE TABLE {schema}.commits (
                sequence bigint PRIMARY KEY,
                token uuid NOT NULL UNIQUE,
                committed_at timestamptz NOT NULL DEFAULT now()
            )
            """#,
            #"""
            CREATE TABLE {schema}.changes (
                sequence bigint NOT NULL REFERENCES {schema}.commits ON DELETE CASCADE,
                collection text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                version bigint,
                value bytea,
                indexes jsonb,
                PRIMARY KEY (sequence, collection, id)
            )
            """#,
            #"""
            -- Applies a batch: [{"c": collection, "i": id, "k": "p" (put) | "d" (delete),
            -- "e": "any" | "new" | "<version>", "v": base64 value, "x": [[name, value, unique], ...]}].
            -- A failed condition raises DV001 (version mismatch), DV002 (already exists) or DV003 (unique
            -- value taken) with a JSON detail, and the statement's transaction writes nothing.
            CREATE FUNCTION {schema}.commit_batch(commit_token uuid, batch jsonb) RETURNS bigint
            LANGUAGE plpgsql AS $function$
            DECLARE
                next_sequence bigint;
                mutation jsonb;
                entry jsonb;
                current_version bigint;
                holder record;
            BEGIN
                UPDATE {schema}.counter SET last_sequence = last_sequence + 1
                    RETURNING last_sequence INTO next_sequence;

                FOR mutation IN SELECT m FROM jsonb_array_elements(batch) WITH ORDINALITY AS b(m, n) ORDER BY n LOOP
                    current_version := NULL;
                    SELECT r.version INTO current_version FROM {schema}.records r
                        WHERE r.collection = mutation->>'c' AND r.id = mutation->>'i';
                    IF mutation->>'e' = 'new' THEN
                        IF current_version IS NOT NULL THEN
                            RAISE EXCEPTION USING ERRCODE = 'DV002', MESSAGE = 'record already exists',
                                DETAIL = json_build_object('c', mutation->>'c', 'i', mutation->>'i',
                                    'a', current_version)::text;
                        END IF;
                    ELSIF mutation->>'e' <> 'any' THEN
                        IF current_version IS DISTINCT FROM (mutation->>'e')::bigint THEN
                            RAISE EXCEPTION USING ERRCODE = 'DV001', MESSAGE = 'version mismatch',
                                DETAIL = json_build_object('c', mutation->>'c', 'i', mutation->>'i',
                                    'e', (mutation->>'e')::bigint, 'a', current_version)::text;
                        END IF;
                    END IF;
                END LOOP;

                INSERT INTO {schema}.commits (sequence, token) VALUES (next_sequence, commit_token);

                DELETE FROM {schema}.unique_entries u USING jsonb_array_elements(batch) b(m)
                    WHERE u.collection = b.m->>'c' AND u.id = b.m->>'i';
                DELETE FROM {schema}.entries e USING jsonb_array_elements(batch) b(m)
                    WHERE e.collection = b.m->>'c' AND e.id = b.m->>'i';

                WITH gone AS (
                    DELETE FROM {schema}.records r USING jsonb_array_elements(batch) b(m)
                    WHERE b.m->>'k' = 'd' AND r.collection = b.m->>'c' AND r.id = b.m->>'i'
                    RETURNING r.collection, r.id
                )
                INSERT INTO {schema}.changes (sequence, collection, id)
                    SELECT next_sequence, gone.collection, gone.id FROM gone;

                WITH written AS (
                    INSERT INTO {schema}.records AS r (collection, id, version, sequence, value, indexes)
                        SELECT b.m->>'c', b.m->>'i', 1, next_sequence, decode(b.m->>'v', 'base64'), b.m->'x'
                        FROM jsonb_array_elements(batch) b(m) WHERE b.m->>'k' = 'p'
                    ON CONFLICT (collection, id) DO UPDATE
                        SET version = r.version + 1, sequence = excluded.sequence, value = excluded.value,
                            indexes = excluded.indexes
                    RETURNING r.collection, r.id, r.version, r.value, r.indexes
                )
                INSERT INTO {schema}.changes (sequence, collection, id, version, value, indexes)
                    SELECT next_sequence, w.collection, w.id, w.version, w.value, w.indexes FROM written w;

                FOR mutation IN SELECT m FROM jsonb_array_elements(batch) WITH ORDINALITY AS b(m, n)
                    WHERE m->>'k' = 'p' ORDER BY n LOOP
                    FOR entry IN SELECT x FROM jsonb_array_elements(mutation->'x') AS e(x)
                        WHERE (x->>2)::boolean LOOP
                        SELECT u.collection, u.id INTO holder FROM {schema}.unique_entries u
                            WHERE u.name = entry->>0 AND u.value = entry->>1;
                        IF FOUND THEN
                            RAISE EXCEPTION USING ERRCODE = 'DV003', MESSAGE = 'unique value taken',
                                DETAIL = json_build_object('c', mutation->>'c', 'i', mutation->>'i',
                                    'n', entry->>0, 'hc', holder.collection, 'hi', holder.id)::text;
                        END IF;
                        INSERT INTO {schema}.unique_entries (name, value, collection, id)
                            VALUES (entry->>0, entry->>1, mutation->>'c', mutation->>'i');
                    END LOOP;
                END LOOP;

                INSERT INTO {schema}.entries (name, value, collection, id)
                    SELECT e.x->>0, e.x->>1, b.m->>'c', b.m->>'i'
                    FROM jsonb_array_elements(batch) b(m), jsonb_array_elements(b.m->'x') e(x)
                    WHERE b.m->>'k' = 'p' AND NOT (e.x->>2)::boolean;

                RETURN next_sequence;
            END
            $function$
            """#,
        ]
    }
#endif
