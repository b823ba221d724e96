from pathway.models import Role, User


def test_database_is_migrated_and_rolled_back(db_transaction, make):
    make.admin(email="one@example.test")
    assert db_transaction.query(User).filter_by(email="one@example.test").count() == 1


def test_previous_test_left_nothing_behind(db_transaction):
    assert db_transaction.query(User).filter_by(email="one@example.test").count() == 0


def test_adviser_signs_in_and_sees_their_caseload(client, world):
    client.sign_in_as(world.adviser)
    page = client.get("/caseload")
    assert page.h1 == "Your caseload"
    assert "Jordan Taylor" in page.text
    assert "Callum Robson" not in page.text
    assert world.adviser.role is Role.ADVISER
