import datetime as dt

import pytest

from digigov.orgs.models import Agency


def _agency(code, name, level, parent=None):
    return Agency.objects.create(code=code, name=name, level=level, parent=parent,
                                 valid_from=dt.date(2025, 7, 1))


@pytest.fixture
def catalog_units(db):
    """The unit keys of catalog/data/procedures.json, on a small set of agencies."""
    province = _agency("000.00.00.H37", "UBND tỉnh Lạng Sơn", Agency.Level.PROVINCE)
    mofa = _agency("000.00.00.G08", "Bộ Ngoại giao", Agency.Level.MINISTRY)
    return {
        "province": province,
        "ministry": mofa,
        "province_centre": _agency("000.00.30.H37", "Trung tâm PVHCC tỉnh",
                                   Agency.Level.PROVINCE_CENTRE, province),
        "justice": _agency("000.00.07.H37", "Sở Tư pháp", Agency.Level.DEPARTMENT, province),
        "communes": [_agency("000.01.37.H37", "UBND xã A", Agency.Level.COMMUNE, province),
                     _agency("000.02.37.H37", "UBND xã B", Agency.Level.COMMUNE, province)],
        "commune_police": _agency("000.01.37.G01", "Công an xã A", Agency.Level.MINISTRY_UNIT),
        "consular": _agency("000.00.01.G08", "Cục Lãnh sự", Agency.Level.MINISTRY_UNIT, mofa),
    }
