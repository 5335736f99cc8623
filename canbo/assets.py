"""Where the files that ship beside the code are: ``templates/`` and ``translations/``.

In a checkout (and an editable install) they sit at the top of the repository, next to
``canbo/``; a wheel installs them as data files under ``<prefix>/share/canbo/``
(``[options.data_files]`` in setup.cfg).  Everything that reads them asks here.
"""
import pathlib
import sys
import sysconfig

CHECKOUT = pathlib.Path(__file__).resolve().parent.parent


def asset_dir(name):
    """The folder ``name`` ("templates" or "translations"), checkout first, then installed."""
    if (CHECKOUT / "setup.cfg").is_file() and (CHECKOUT / name).is_dir():
        return CHECKOUT / name
    for prefix in (sysconfig.get_path("data"), sys.prefix):
        installed = pathlib.Path(prefix) / "share" / "canbo" / name
        if installed.is_dir():
            return installed
    raise FileNotFoundError(
        f"Không tìm thấy thư mục «{name}» của canbo (cài đặt thiếu tệp dữ liệu); "
        "hãy cài lại gói canbo."
    )


TEMPLATES = asset_dir("templates")
TRANSLATIONS = asset_dir("translations")
