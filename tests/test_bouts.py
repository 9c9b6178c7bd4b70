"""Tests for painlab.bouts: the endurance-time model and Bout validation."""

from __future__ import annotations

import numpy as np
import pytest

from painlab.bouts import KINDS, LIMITS, UNITS, Bout, endurance_time

# Frey-Law & Avin (2010), Ergonomics 53(1):109-129, pooled ("all joints") power model:
# ET [s] = b0 * f ** b1, f = fraction of MVC. Written out here from the paper, not read
# from the module, so that a changed coefficient in painlab fails these tests.
B0_SECONDS = 21.92
B1 = -1.98


def published_et_minutes(pct_mvc: float) -> float:
    return B0_SECONDS * (pct_mvc / 100.0) ** B1 / 60.0


# -- endurance time ----------------------------------------------------------------------------


@pytest.mark.parametrize("pct", [10, 25, 50, 80, 100])
def test_endurance_time_follows_published_power_model(pct):
    assert endurance_time(pct) == pytest.approx(published_et_minutes(pct), rel=1e-9)


def test_endurance_time_at_25pct_is_about_5_7_min():
    # 21.92 s * 0.25 ** -1.98 = 341 s = 5.69 min
    assert endurance_time(25) == pytest.approx(21.92 * 0.25**-1.98 / 60, rel=1e-9)
    assert endurance_time(25) == pytest.approx(5.69, abs=0.01)


def test_endurance_time_at_mvc_is_b0():
    # f = 1 makes the power term 1: ET = b0 = 21.92 s.
    assert endurance_time(100) * 60 == pytest.approx(21.92)


def test_endurance_time_vectorised_matches_scalar_and_decreases():
    pcts = np.array([10.0, 20.0, 25.0, 40.0, 60.0, 80.0, 100.0])
    et = endurance_time(pcts)
    assert isinstance(et, np.ndarray)
    assert et.shape == pcts.shape
    np.testing.assert_allclose(et, [endurance_time(float(p)) for p in pcts])
    assert np.all(np.diff(et) < 0), "harder holds must fail sooner"


def test_endurance_time_scalar_returns_float():
    assert isinstance(endurance_time(30), float)


@pytest.mark.parametrize("bad", [5, 0, -10, 120, float("nan"), float("inf")])
def test_endurance_time_out_of_range_names_range_and_unit(bad):
    with pytest.raises(ValueError) as exc:
        endurance_time(bad)
    msg = str(exc.value)
    assert "intensity" in msg
    assert "10" in msg and "100" in msg
    assert "% MVC" in msg


def test_endurance_time_out_of_range_in_array_raises():
    with pytest.raises(ValueError, match="intensity"):
        endurance_time([25, 50, 150])


# -- Bout validation ---------------------------------------------------------------------------


def test_valid_bouts_of_every_kind():
    for kind in KINDS:
        _, hi = LIMITS[kind]["intensity"]
        dlo, _ = LIMITS[kind]["duration"]
        b = Bout(kind, intensity=hi, duration=dlo)
        assert b.kind == kind
        assert b.unit == UNITS[kind]


@pytest.mark.parametrize(
    ("kind", "unit"),
    [("aerobic", "% VO2max"), ("isometric", "% MVC"), ("dynamic_resistance", "% 1RM")],
)
def test_intensity_150_names_parameter_range_and_unit(kind, unit):
    with pytest.raises(ValueError) as exc:
        Bout(kind, intensity=150, duration=0.2 if kind == "isometric" else 30)
    msg = str(exc.value)
    assert "intensity" in msg
    assert "100" in msg
    assert unit in msg
    assert "150" in msg


def test_intensity_below_range_raises():
    with pytest.raises(ValueError, match="intensity"):
        Bout("aerobic", intensity=5, duration=30)


@pytest.mark.parametrize("bad", [True, "75", None, float("nan")])
def test_intensity_must_be_a_finite_number(bad):
    with pytest.raises(ValueError, match="intensity"):
        Bout("aerobic", intensity=bad, duration=30)


@pytest.mark.parametrize("duration", [0, -5, 500])
def test_duration_out_of_range_names_parameter_range_and_unit(duration):
    with pytest.raises(ValueError) as exc:
        Bout("aerobic", intensity=75, duration=duration)
    msg = str(exc.value)
    assert "duration" in msg
    lo, hi = LIMITS["aerobic"]["duration"]
    assert f"{lo:g}" in msg and f"{hi:g}" in msg
    assert "min" in msg


def test_missing_duration_raises():
    with pytest.raises(ValueError, match="duration"):
        Bout("aerobic", intensity=75)


def test_unknown_kind_suggests_the_close_match():
    with pytest.raises(ValueError) as exc:
        Bout("aerobics", intensity=75, duration=30)
    msg = str(exc.value)
    assert "kind" in msg
    assert "did you mean 'aerobic'" in msg.lower()


def test_unknown_kind_lists_valid_kinds():
    with pytest.raises(ValueError) as exc:
        Bout("yoga", intensity=50, duration=30)
    for kind in KINDS:
        assert kind in str(exc.value)


def test_isometric_hold_longer_than_endurance_time_raises():
    # 80% MVC can be held about 0.57 min (Frey-Law & Avin 2010): 5 min is impossible.
    assert published_et_minutes(80) < 5
    with pytest.raises(ValueError) as exc:
        Bout("isometric", intensity=80, duration=5)
    msg = str(exc.value)
    assert "duration" in msg
    assert "endurance time" in msg
    assert "to_failure" in msg


def test_isometric_hold_just_within_endurance_time_is_valid():
    b = Bout("isometric", intensity=50, duration=0.99 * published_et_minutes(50))
    assert b.minutes < endurance_time(50)


@pytest.mark.parametrize("kind", ["aerobic", "dynamic_resistance"])
def test_to_failure_is_isometric_only(kind):
    with pytest.raises(ValueError, match="to_failure"):
        Bout(kind, intensity=75, to_failure=True)


# -- properties --------------------------------------------------------------------------------


@pytest.mark.parametrize("pct", [10, 25, 80, 100])
def test_minutes_to_failure_is_endurance_time(pct):
    b = Bout("isometric", intensity=pct, to_failure=True)
    assert b.minutes == pytest.approx(published_et_minutes(pct))


def test_minutes_is_duration_otherwise():
    assert Bout("dynamic_resistance", intensity=75, duration=45).minutes == 45.0


def test_label_aerobic():
    # The documented example in Bout's docstring.
    assert Bout("aerobic", intensity=75, duration=30).label == "Aerobic 75% VO2max for 30 min"


def test_label_dynamic_resistance():
    label = Bout("dynamic_resistance", intensity=75, duration=45).label
    assert label.startswith("Dynamic resistance 75% 1RM")
    assert "45 min" in label


def test_label_to_failure_shows_endurance_time():
    label = Bout("isometric", intensity=25, to_failure=True).label
    assert label.startswith("Isometric 25% MVC")
    assert "task failure" in label
    assert f"{published_et_minutes(25):.1f} min" in label


def test_bout_is_immutable():
    b = Bout("aerobic", intensity=75, duration=30)
    with pytest.raises(AttributeError):
        b.intensity = 50  # type: ignore[misc]
