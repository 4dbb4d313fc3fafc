"""What pyproject.toml cannot say: the top-level data/ and locales/ folders ship in the wheel.

They stay top-level in the repository (people curate them without opening bot/) and become the
package's bot/data and bot/locales in a wheel, where bot.data_files finds them. pyproject.toml
can map a folder to a package only if every package is listed by hand; here the bot's own
packages are still found, so a new one is never left out of the wheel.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["bot*"]), "bot.data", "bot.locales"],
    package_dir={"bot.data": "data", "bot.locales": "locales"},
    include_package_data=False,
    package_data={
        "bot.data": ["*.toml", "*.json"],
        "bot.locales": ["*/LC_MESSAGES/*.po"],
        "bot.storage": ["migrations/*.sql"],
        "bot.sandbox": ["static/*"],
    },
)
