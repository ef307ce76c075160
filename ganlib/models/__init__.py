"""The models, by the name the command line and notebooks use."""
from ganlib.errors import GanlibError
from ganlib.models.dcgan import DCGAN

MODELS = {m.name: m for m in (DCGAN,)}


def get(name):
    """The model class called ``name`` (``"dcgan"``, ...)."""
    try:
        return MODELS[name]
    except KeyError:
        raise GanlibError(f"unknown model {name!r}; choose one of {', '.join(sorted(MODELS))}.") from None
