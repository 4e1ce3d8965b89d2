# error: ARCH203
"""Module-style service: thirty public functions."""


def get_thing_0(db, thing_id):
    return db.get('Thing0', thing_id)


def get_thing_1(db, thing_id):
    return db.get('Thing1', thing_id)


def get_thing_2(db, thing_id):
    return db.get('Thing2', thing_id)


def get_thing_3(db, thing_id):
    return db.get('Thing3', thing_id)


def get_thing_4(db, thing_id):
    return db.get('Thing4', thing_id)


def get_thing_5(db, thing_id):
    return db.get('Thing5', thing_id)


def get_thing_6(db, thing_id):
    return db.get('Thing6', thing_id)


def get_thing_7(db, thing_id):
    return db.get('Thing7', thing_id)


def get_thing_8(db, thing_id):
    return db.get('Thing8', thing_id)


def get_thing_9(db, thing_id):
    return db.get('Thing9', thing_id)


def get_thing_10(db, thing_id):
    return db.get('Thing10', thing_id)


def get_thing_11(db, thing_id):
    return db.get('Thing11', thing_id)


def get_thing_12(db, thing_id):
    return db.get('Thing12', thing_id)


def get_thing_13(db, thing_id):
    return db.get('Thing13', thing_id)


def get_thing_14(db, thing_id):
    return db.get('Thing14', thing_id)


def get_thing_15(db, thing_id):
    return db.get('Thing15', thing_id)


def get_thing_16(db, thing_id):
    return db.get('Thing16', thing_id)


def get_thing_17(db, thing_id):
    return db.get('Thing17', thing_id)


def get_thing_18(db, thing_id):
    return db.get('Thing18', thing_id)


def get_thing_19(db, thing_id):
    return db.get('Thing19', thing_id)


def get_thing_20(db, thing_id):
    return db.get('Thing20', thing_id)


def get_thing_21(db, thing_id):
    return db.get('Thing21', thing_id)


def get_thing_22(db, thing_id):
    return db.get('Thing22', thing_id)


def get_thing_23(db, thing_id):
    return db.get('Thing23', thing_id)


def get_thing_24(db, thing_id):
    return db.get('Thing24', thing_id)


def get_thing_25(db, thing_id):
    return db.get('Thing25', thing_id)


def get_thing_26(db, thing_id):
    return db.get('Thing26', thing_id)


def get_thing_27(db, thing_id):
    return db.get('Thing27', thing_id)


def get_thing_28(db, thing_id):
    return db.get('Thing28', thing_id)


def get_thing_29(db, thing_id):
    return db.get('Thing29', thing_id)
