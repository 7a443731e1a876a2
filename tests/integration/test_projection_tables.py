"""Which table serves each projection, asked for one or several at once: a switch counts at once, and a
projection not registered yet is served by its own table."""
import psycopg
import pytest
from psycopg.rows import dict_row

from eventkit.db import kit_schema
from eventkit.projection import Projection
from eventkit.projection_tables import active_table, active_tables, switch

USERS = Projection(name="demo.users.v1", table="users_v1", topics=("t",), reducers={})
CUSTOMERS = Projection(name="demo.customers.v1", table="customers_v1", topics=("t",), reducers={})
NEW = Projection(name="demo.new.v1", table="new_v1", topics=("t",), reducers={})


@pytest.fixture
def conn(database):
    with psycopg.connect(database("projection_tables"), row_factory=dict_row) as connection:
        connection.execute(kit_schema())
        connection.execute("INSERT INTO projection_tables (name, active_table) VALUES (%s, %s), (%s, %s)",
                           (USERS.name, USERS.table, CUSTOMERS.name, CUSTOMERS.table))
        yield connection
        connection.rollback()


def test_several_projections_tables_come_in_their_order_as_each_would_alone(conn):
    switch(conn, CUSTOMERS, "customers_v1_rebuilt")

    assert active_tables(conn, [NEW, CUSTOMERS, USERS]) == ["new_v1", "customers_v1_rebuilt", "users_v1"]
    assert [active_table(conn, p) for p in (NEW, CUSTOMERS, USERS)] == ["new_v1", "customers_v1_rebuilt", "users_v1"]
