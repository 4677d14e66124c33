"""The shared-target plan: one sales target that, when hit, pays both teams.

schema and loader read the files; plan holds the validated plan; pay/ is the
pay rule; weighting and calibration make the plan neutral; engine pays a year
into results; report/, explain/ and plots/ are the views of a result.
"""

__all__: list[str] = []
