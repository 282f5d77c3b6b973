-- Best of n runs of a query, in ms (the benches' one timing helper; \i it from the project root).
CREATE OR REPLACE FUNCTION pg_temp.best_ms(q text, n int DEFAULT 5) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best float8 := 'Infinity'; BEGIN
    FOR i IN 1..n LOOP
        t0 := clock_timestamp();
        EXECUTE q;
        best := least(best, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RETURN best;
END $$;
