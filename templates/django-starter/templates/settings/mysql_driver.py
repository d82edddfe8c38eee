# PyMySQL is pure Python (no compiler or client library needed); it stands in
# for mysqlclient, the driver Django's MySQL backend imports.
pymysql.install_as_MySQLdb()
{#- settings.py includes this with MySQL, before the database settings: the driver. -#}
