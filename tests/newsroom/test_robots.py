def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_accounts(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for private in ("/accounts/", "/admin/", "/moderate/", "/api/", "/preview/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /posts/" not in lines
    assert client.get("/sitemap.xml").status_code == 200


def test_robots_txt_takes_no_writes(client, db):
    assert client.post("/robots.txt").status_code == 405
